import Plumbing

/// A moment, in milliseconds since 1970-01-01T00:00Z. Commands are dated by the server with
/// one; every civil date and deadline is read in China time (UTC+8, no daylight saving), never in
/// the machine's time zone.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func < (a: Instant, b: Instant) -> Bool { a.milliseconds < b.milliseconds }

    static let dayMs: Int64 = 86_400_000
    static let chinaOffsetMs: Int64 = 8 * 3_600_000

    /// 00:00 China time of `date` (the instant the day begins).
    public static func startOfDay(_ date: CivilDate) -> Instant {
        Instant(milliseconds: Int64(date.dayNumber) * dayMs - chinaOffsetMs)
    }
    /// 24:00 China time of `date`: the first instant after the day (periods are half-open).
    public static func endOfDay(_ date: CivilDate) -> Instant {
        Instant(milliseconds: startOfDay(date).milliseconds + dayMs)
    }
    /// The moment `hh:mm:ss.mmm` China time on `date`.
    public static func china(_ date: CivilDate, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, ms: Int = 0) -> Instant {
        Instant(milliseconds: startOfDay(date).milliseconds + Int64(((hour * 60 + minute) * 60 + second) * 1000 + ms))
    }
    /// The civil date in China at this moment.
    public var chinaDate: CivilDate {
        let local = milliseconds + Self.chinaOffsetMs
        let day = local >= 0 ? local / Self.dayMs : (local - Self.dayMs + 1) / Self.dayMs
        return CivilDate(dayNumber: Int(day))
    }
    public func adding(milliseconds ms: Int64) -> Instant { Instant(milliseconds: milliseconds + ms) }
    public var description: String {
        let local = milliseconds + Self.chinaOffsetMs
        let msOfDay = ((local % Self.dayMs) + Self.dayMs) % Self.dayMs
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, f = msOfDay % 1000
        func pad(_ v: Int64, _ n: Int) -> String { let t = String(v); return String(repeating: "0", count: max(0, n - t.count)) + t }
        return "\(chinaDate)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(f, 3))+08:00"
    }
}

extension CivilDate {
    /// The date `dayNumber` days after 1970-01-01 (H. Hinnant's days-to-civil).
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }
}

/// Periods as the Civil Code counts them (Arts. 200–204): the day a period starts from is not
/// counted (Art. 201); a period of years or months ends on the corresponding day of the last
/// year or month, or on that month's last day when it has no such day (Art. 202); the last day
/// ends at 24:00 (Art. 203). Holidays do not extend a period here: whether Art. 203's extension
/// applies to the bureau's deadlines is for the bureau to confirm (an EcoCredit default).
public enum CivilPeriod {
    /// The last day of a period of `years` years starting from `date` (not counted).
    public static func lastDay(years: Int, from date: CivilDate) -> CivilDate {
        let y = date.year + years
        return CivilDate(year: y, month: date.month, day: date.day)
            ?? CivilDate(year: y, month: date.month, day: CivilDate.daysIn(date.month, of: y))!
    }
    /// The last day of a period of `days` days starting from `date` (not counted).
    public static func lastDay(days: Int, from date: CivilDate) -> CivilDate { date.adding(days: days) }
    /// When a period of `years` from `date` is over: 24:00 China time of its last day.
    public static func end(years: Int, from date: CivilDate) -> Instant { Instant.endOfDay(lastDay(years: years, from: date)) }
    /// When a period of `days` from `date` is over: 24:00 China time of its last day.
    public static func end(days: Int, from date: CivilDate) -> Instant { Instant.endOfDay(lastDay(days: days, from: date)) }
}
