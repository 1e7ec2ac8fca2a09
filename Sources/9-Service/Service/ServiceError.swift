import Foundation
import Hummingbird
import Plumbing
import ServiceAPI

/// Why the service refused a request. Each case has a stable code (the CLI's codes where the
/// same thing is meant), an HTTP status, and its message in both languages; the body of every
/// refusal is `{code, zh, en, article}` (article: the rule or design clause that asks for it).
public enum ServiceError: CodedError, HTTPResponseError, Sendable, Equatable {
    /// The upload went over `limit` bytes; refused while streaming (413).
    case bundleTooLarge(limit: Int)
    /// The upload's Content-Type is not application/zip (415).
    case unsupportedMediaType(got: String?)
    /// An empty upload (400).
    case emptyBundle
    /// No such job, or not one the caller may see (404).
    case jobNotFound(id: String)
    /// The job has no such output yet, or never will (404).
    case outputNotFound(job: String, name: String)
    /// The job has ended and cannot be cancelled (409).
    case jobFinished(id: String, state: String)
    /// A registry command without an Idempotency-Key header (400).
    case idempotencyKeyMissing
    /// A request body that is not the JSON the operation takes (400).
    case badBody(detail: String)
    /// A JSON request body over the operation's `limit` bytes (413; uploads have their own).
    case bodyTooLarge(limit: Int)
    /// A query parameter that is not what the operation takes (400): `expected` says what is,
    /// e.g. "an integer from 1 to 1000". Never read as its default: a paging client with a
    /// damaged cursor would otherwise be sent the log from its start.
    case badQuery(name: String, value: String, expected: Bilingual)
    /// No valid bearer token where the operation needs an account (401).
    case unauthenticated
    /// The caller's role may not do this (403).
    case forbidden(role: String)
    /// A state change from a page session without the session's CSRF token (403).
    case csrf
    /// Wrong account or password (401; the same answer for both).
    case loginFailed
    /// The job store or blob folder failed (500): the detail is for the log.
    case storage(detail: String)

    public var code: String {
        switch self {
        case .bundleTooLarge: return "HTTP.BUNDLE_TOO_LARGE"
        case .unsupportedMediaType: return "HTTP.UNSUPPORTED_MEDIA_TYPE"
        case .emptyBundle: return "HTTP.EMPTY_BUNDLE"
        case .jobNotFound: return "JOB.NOT_FOUND"
        case .outputNotFound: return "JOB.OUTPUT_NOT_FOUND"
        case .jobFinished: return "JOB.FINISHED"
        case .storage: return "SERVICE.STORAGE"
        case .unauthenticated: return "AUTH.REQUIRED"
        case .idempotencyKeyMissing: return "HTTP.IDEMPOTENCY_KEY_MISSING"
        case .badBody: return "HTTP.BAD_BODY"
        case .bodyTooLarge: return "HTTP.BODY_TOO_LARGE"
        case .badQuery: return "HTTP.BAD_QUERY"
        case .forbidden: return "AUTH.FORBIDDEN"
        case .csrf: return "AUTH.CSRF"
        case .loginFailed: return "AUTH.LOGIN_FAILED"
        }
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .bundleTooLarge, .bodyTooLarge: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .emptyBundle: return .badRequest
        case .jobNotFound, .outputNotFound: return .notFound
        case .jobFinished: return .conflict
        case .storage: return .internalServerError
        case .unauthenticated: return .unauthorized
        case .idempotencyKeyMissing, .badBody, .badQuery: return .badRequest
        case .forbidden, .csrf: return .forbidden
        case .loginFailed: return .unauthorized
        }
    }

    /// The clause of registry-design §5 the refusal follows.
    public var article: String? {
        switch self {
        case .bundleTooLarge, .unsupportedMediaType, .emptyBundle: return "registry-design §5 Uploads and jobs"
        case .jobNotFound, .outputNotFound, .jobFinished: return "registry-design §5 /v1/jobs"
        case .storage: return nil
        case .unauthenticated, .forbidden, .csrf, .loginFailed: return "registry-design §5 Authentication; §3 test 35 (deny by default)"
        case .idempotencyKeyMissing, .badBody, .badQuery, .bodyTooLarge: return "registry-design §5 Conventions"
        }
    }

    public var message: Bilingual {
        switch self {
        case .bundleTooLarge(let limit):
            return .init(zh: "上传的数据包超过 \(limit) 字节的上限，已在接收过程中拒绝", en: "the bundle is over the limit of \(limit) bytes; refused while it was being received")
        case .unsupportedMediaType(let got):
            return .init(zh: "上传须为 application/zip（收到：\(got ?? "无")）", en: "the upload must be application/zip (got: \(got ?? "none"))")
        case .emptyBundle:
            return .init(zh: "上传内容为空", en: "the upload is empty")
        case .jobNotFound(let id):
            return .init(zh: "没有作业“\(id)”", en: "no job \(id)")
        case .outputNotFound(let job, let name):
            return .init(zh: "作业“\(job)”没有输出“\(name)”", en: "job \(job) has no output \(name)")
        case .jobFinished(let id, let state):
            return .init(zh: "作业“\(id)”已结束（\(state)），不能取消", en: "job \(id) has ended (\(state)) and cannot be cancelled")
        case .storage:
            return .init(zh: "服务的存储出错；已记录在日志中", en: "the service's storage failed; the detail is in its log")
        case .idempotencyKeyMissing:
            return .init(zh: "登记簿操作须带 Idempotency-Key 请求头", en: "a registry command needs an Idempotency-Key header")
        case .badBody(let detail):
            return .init(zh: "请求正文不是此操作接受的 JSON；细节见英文信息", en: "the body is not the JSON this operation takes: \(detail)")
        case .bodyTooLarge(let limit):
            return .init(zh: "请求正文超过此操作 \(limit) 字节的上限", en: "the body is over this operation's limit of \(limit) bytes")
        case let .badQuery(name, value, expected):
            return .init(zh: "查询参数 \(name)=“\(value)”不符合要求，应为\(expected.zh)", en: "query parameter \(name)=\"\(value)\" is not \(expected.en)")
        case .unauthenticated:
            return .init(zh: "需要有效的访问令牌（Authorization: Bearer …）", en: "a valid access token is needed (Authorization: Bearer …)")
        case .forbidden(let role):
            return .init(zh: "角色 \(role) 无权执行此操作", en: "role \(role) may not do this")
        case .csrf:
            return .init(zh: "页面提交缺少本会话的 CSRF 令牌", en: "a change from a page needs its session's CSRF token")
        case .loginFailed:
            return .init(zh: "账号或密码不正确", en: "wrong account or password")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try ErrorBody(code: code, zh: message.zh, en: message.en, article: article).response(status: status)
    }
}

/// The body of every refusal: `{code, zh, en, article, ledgerSeq}` — the contract's `Refusal`
/// schema, as swift-openapi-generator made it from openapi.yaml.
public typealias ErrorBody = Components.Schemas.Refusal

extension Components.Schemas.Refusal {
    func response(status: HTTPResponse.Status) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.service.encode(self))))
    }
}

extension JSONEncoder {
    /// Sorted keys: the same reply, byte for byte, for the same state.
    static var service: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
