"""schemathesis hooks for `make test`'s contract run: bundles are uploaded as raw application/zip
bodies, which schemathesis has no serializer for; generated values are sent as their bytes."""
import schemathesis


@schemathesis.serializer("application/zip")
def zip_body(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode("utf-8")
