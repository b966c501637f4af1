// The Swift suite: real Swift calling the real library through the generated bindings,
// against the real mock MMSC binary over loopback. It mirrors the Kotlin suite
// (bindings/kotlin/src/MmsFfiTest.kt) test for test.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

@testable import MmsFfi
import MmsCoreEvents

final class Events: EventListener, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [MmsEvent] = []

    func onEvent(event: MmsEvent) {
        lock.lock(); seen.append(event); lock.unlock()
    }

    var all: [MmsEvent] {
        lock.lock(); defer { lock.unlock() }
        return seen
    }

    /// The first event `pick` maps to something (waiting up to `timeout`).
    func waitFor<T>(_ what: String, timeout: TimeInterval = 10, _ pick: (MmsEvent) -> T?) throws -> T {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let hit = all.lazy.compactMap(pick).first { return hit }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Timeout(what: "no \(what) event; saw \(all)")
    }

    /// The row id of the first MessageReceived event.
    func received(timeout: TimeInterval = 10) throws -> Int64 {
        try waitFor("message received", timeout: timeout) { e -> Int64? in
            if case .messageReceived(let i, _, _) = e { return i }
            return nil
        }
    }
}

/// A value written by a completion handler and read once it signalled (Swift 6 wants the
/// sharing said out loud).
final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

struct Timeout: Error {
    let what: String
}

/// The mock MMSC binary, started for the suite.
final class Mmsc {
    let process = Process()
    let url: String
    let admin: String
    let token: String

    init() throws {
        let binary = ProcessInfo.processInfo.environment["MOCK_MMSC"] ?? "../../target/debug/mock-mmsc"
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--bind", "127.0.0.1:0"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        func readLine() throws -> String {
            var line = Data()
            while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0a]) {
                line.append(byte)
            }
            return String(decoding: line, as: UTF8.self)
        }
        // "mock-mmsc listening on 127.0.0.1:PORT (MMSC URL http://127.0.0.1:PORT/mms)"
        let text = try readLine()
        url = text.components(separatedBy: "MMSC URL ")[1].components(separatedBy: ")")[0]
        // "admin API on http://127.0.0.1:PORT/_admin token TOKEN": its own port, its token.
        let adminLine = try readLine()
        admin = adminLine.components(separatedBy: "admin API on ")[1].components(separatedBy: " ")[0]
        token = adminLine.components(separatedBy: " token ")[1].trimmingCharacters(in: .whitespaces)
    }

    func register(_ number: String, push: String?) throws {
        var req = URLRequest(url: URL(string: "\(admin)/subscribers")!)
        req.httpMethod = "POST"
        req.setValue("application/json", forHTTPHeaderField: "content-type")
        req.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        let body = push.map { "{\"msisdn\":\"\(number)\",\"push\":\"\($0)\"}" } ?? "{\"msisdn\":\"\(number)\"}"
        req.httpBody = Data(body.utf8)
        let done = DispatchSemaphore(value: 0)
        let status = Box(0)
        URLSession.shared.dataTask(with: req) { _, r, _ in
            status.value = (r as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        XCTAssertEqual(status.value, 204)
    }

    func cancel(_ messageId: String) throws {
        var req = URLRequest(url: URL(string: "\(admin)/cancel/\(messageId)")!)
        req.httpMethod = "POST"
        req.setValue("Bearer \(token)", forHTTPHeaderField: "authorization")
        let done = DispatchSemaphore(value: 0)
        let status = Box(0)
        URLSession.shared.dataTask(with: req) { _, r, _ in
            status.value = (r as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        XCTAssertEqual(status.value, 200)
    }

    /// Stops the binary and waits for it: `swift test` ends only once no child is left.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

func profile(_ mmsc: String, _ number: String) -> String {
    """
    mmsc_url = "\(mmsc)"
    http_headers = ["X-Mms-Subscriber: ##LINE1##"]
    line1 = "\(number)"
    push_origins = ["127.0.0.1"]
    retry_base_ms = 20
    http_timeout_secs = 5
    """
}

func hex(_ s: String) -> Data {
    var d = Data()
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        d.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return d
}

/// The same spoofed notification and provisioning document as the Kotlin suite's test data
/// (bindings/kotlin/testsupport/common/TestData.kt).
let spoofedPush =
    "010603beaf848c82987831008d928915802b31353535303030392f545950453d504c4d4e008a808e0164" +
    "8805810301518083687474703a2f2f6576696c2e6578616d706c652f6100"
let cpBody =
    "030b6a00c54503312e310001c650034150504c49434154494f4e000187050341505049440006037734000187" +
    "050341444452000603687474703a2f2f6d6d73632e6b6f746c696e2e6578616d706c652f6d6d7300018705" +
    "03544f2d4e415049440006034e41505f4d4d53000101c650034e415044454600018705034e415049440006" +
    "034e41505f4d4d5300018705034e41502d414444524553530006036d6d732e6b6f746c696e2e6578616d70" +
    "6c6500018705034e41502d414444525459504500060341504e00010101"

/// HMAC-SHA1 of cpBody keyed with each PIN the tests use (computed once; Foundation has no
/// HMAC on Linux). The Kotlin suite computes the same values with javax.crypto.
let cpMacs = [
    "1234": "5B108E7B278560E407BD9ECD7F40AD7F0447F54A",
    "9999": "E4622036A656B7E3F65267F6B65948B8B664BC0E",
]

/// A connectivity push of cpBody with SEC=USERPIN and the MAC for `pin`.
func provisioningPush(pin: String) -> Data {
    let body = hex(cpBody)
    let macHex = Data(cpMacs[pin]!.utf8)
    let ct = Data([0xb6, 0x91, 0x81, 0x92]) + macHex + Data([0])
    let headers = Data([0x1f, UInt8(ct.count)]) + ct
    return Data([0x01, 0x06, UInt8(headers.count)]) + headers + body
}

/// A message of one text part (`t.txt`) to `to`.
func textMessage(_ to: String, _ body: String, subject: String? = nil,
                 deliveryReport: Bool? = nil, readReport: Bool? = nil) -> OutgoingMessage {
    OutgoingMessage(to: [to], subject: subject,
                    parts: [OutgoingPart(contentType: "text/plain", name: "t.txt", data: Data(body.utf8))],
                    deliveryReport: deliveryReport, readReport: readReport)
}

/// An M-Notification.ind in a WSP push (the layout of spoofedPush, with its own fields).
func notificationPush(tid: String, from: String, location: String) -> Data {
    func text(_ s: String) -> Data { Data(s.utf8) + Data([0]) }
    let fromValue = Data([0x80]) + text("\(from)/TYPE=PLMN")
    var pdu = Data([0x8c, 0x82, 0x98]) + text(tid)
    pdu += Data([0x8d, 0x92, 0x89, UInt8(fromValue.count)]) + fromValue
    pdu += Data([0x8a, 0x80, 0x8e, 0x01, 0x64, 0x88, 0x05, 0x81, 0x03, 0x01, 0x51, 0x80, 0x83]) + text(location)
    return Data([0x01, 0x06, 0x03, 0xbe, 0xaf, 0x84]) + pdu
}

/// The app's own MM1 transport, in Swift (URLSession), counting what it carried.
final class SwiftTransport: Mm1Transport, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls: [String] = []

    private func exchange(_ req: URLRequest) throws -> HttpReply {
        let done = DispatchSemaphore(value: 0)
        let reply = Box<HttpReply?>(nil)
        let failure = Box<String>("")
        URLSession.shared.dataTask(with: req) { data, r, e in
            if let r = r as? HTTPURLResponse {
                let retry = (r.value(forHTTPHeaderField: "retry-after")).flatMap { UInt64($0) }
                reply.value = HttpReply(status: UInt16(r.statusCode), body: data ?? Data(), retryAfterSecs: retry)
            } else {
                failure.value = String(describing: e)
            }
            done.signal()
        }.resume()
        done.wait()
        if let r = reply.value { return r }
        throw TransportFailure.Connect(reason: failure.value)
    }

    func post(url: String, headers: [HttpHeader], body: Data) throws -> HttpReply {
        lock.lock(); calls.append("POST \(url)"); lock.unlock()
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = "POST"
        req.httpBody = body
        headers.forEach { req.setValue($0.value, forHTTPHeaderField: $0.name) }
        return try exchange(req)
    }

    func get(url: String, headers: [HttpHeader]) throws -> HttpReply {
        lock.lock(); calls.append("GET \(url)"); lock.unlock()
        var req = URLRequest(url: URL(string: url)!)
        headers.forEach { req.setValue($0.value, forHTTPHeaderField: $0.name) }
        return try exchange(req)
    }
}

/// The app's transport in `async` functions.
final class AsyncSwiftTransport: AsyncMm1Transport, @unchecked Sendable {
    let inner = SwiftTransport()
    func post(url: String, headers: [HttpHeader], body: Data) async throws -> HttpReply {
        try inner.post(url: url, headers: headers, body: body)
    }
    func get(url: String, headers: [HttpHeader]) async throws -> HttpReply {
        try inner.get(url: url, headers: headers)
    }
}

final class MmsFfiTests: XCTestCase {
    // Started once for the class and stopped in its tearDown: a child process left running
    // keeps `swift test` from ending (a static's deinit never runs).
    nonisolated(unsafe) static var mmsc: Mmsc!
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("mms-swift-\(getpid())")

    override class func setUp() {
        super.setUp()
        do { mmsc = try Mmsc() } catch { fatalError("mock-mmsc did not start: \(error)") }
    }

    override class func tearDown() {
        mmsc?.stop()
        mmsc = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    func open(_ number: String, _ events: Events) throws -> Client {
        try Client.open(dbPath: work.appendingPathComponent("\(number).db").path,
                        profileToml: profile(Self.mmsc.url, number), listener: events)
    }

    func testSendAndReceiveBetweenTwoClientsWithEvents() async throws {
        let aEvents = Events(), bEvents = Events()
        let a = try open("+15557101", aEvents)
        let b = try open("+15557102", bEvents)
        try Self.mmsc.register("+15557101", push: nil)
        try Self.mmsc.register("+15557102", push: try await b.startPushReceiver(bind: "127.0.0.1:0"))
        let id = try await a.send(message: textMessage("+15557102", "Hello from Swift", subject: "from Swift"))
        let ok = try aEvents.waitFor("send result") { e -> Bool? in
            if case .sendResult(let i, let ok, _, _) = e, i == id { return ok }
            return nil
        }
        XCTAssertTrue(ok)
        let sent = try await a.message(id: id).message
        XCTAssertEqual(sent.state, .sent)
        XCTAssertEqual(sent.direction, .outgoing)
        let receivedId = try bEvents.received()
        // One call for the screen; then the text part's bytes alone.
        let screen = try await b.message(id: receivedId)
        XCTAssertEqual(screen.message.subject, "from Swift")
        XCTAssertEqual(screen.message.peers, ["+15557101"])
        XCTAssertEqual(screen.message.preview, "Hello from Swift")
        let part = try XCTUnwrap(screen.parts.first { $0.contentType.hasPrefix("text/plain") })
        let text = try await b.partData(id: receivedId, index: part.index)
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "Hello from Swift")
        XCTAssertEqual(screen.plan?.parts.first { $0.contentType.hasPrefix("text/plain") }?.decision, .auto)
        try await b.confirmDelivered(id: receivedId)
        let acknowledged = try await b.message(id: receivedId).message.state
        XCTAssertEqual(acknowledged, .acknowledged)
    }

    func testASwiftTransportCarriesAMessageBothWays() async throws {
        let transport = SwiftTransport()
        let events = Events()
        let d = try Client.openWithTransport(
            dbPath: work.appendingPathComponent("d.db").path,
            profileToml: profile(Self.mmsc.url, "+15557105"), transport: transport, listener: events)
        try Self.mmsc.register("+15557105", push: try await d.startPushReceiver(bind: "127.0.0.1:0"))
        _ = try await d.send(message: textMessage("+15557105", "via Swift", subject: "loop"))
        let got = try events.received()
        let data = try await d.partData(id: got, index: 0)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "via Swift")
        XCTAssertEqual(transport.calls.filter { $0.hasPrefix("POST") }.count, 1)
        XCTAssertEqual(transport.calls.filter { $0.hasPrefix("GET") }.count, 1)
    }

    func testASpoofedPushIsRejectedWithItsReasonAndAudited() async throws {
        let c = try open("+15557103", Events())
        let v = try await c.handlePush(origin: "127.0.0.1", wsp: hex(spoofedPush))
        XCTAssertEqual(v.verdict, .reject)
        XCTAssertEqual(v.kind, .mms)
        XCTAssertEqual(v.reason, "spoofed_content_location")
        XCTAssertEqual(v.threat, "PUSH-1")
        let audit = try await c.auditLog(reason: "spoofed_content_location", limit: 5)
        XCTAssertEqual(audit.first?.threat, "PUSH-1")
        XCTAssertEqual(audit.first?.area, .push)
        XCTAssertEqual(audit.first?.outcome, .rejected)
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        XCTAssertLessThan(max(nowMs, audit[0].atMs) - min(nowMs, audit[0].atMs), 60_000)
        let stored = try await c.messages()
        XCTAssertTrue(stored.isEmpty)
    }

    func testAChargeableLinkNeedsConfirmationOnce() async throws {
        let c = try open("+15557107", Events())
        try Self.mmsc.register("+15557107", push: nil)
        let id = try await c.send(message: textMessage("+15557107", "call tel:+19005550100"))
        let premium = "tel:+19005550100"
        let r = try await c.requestLink(uri: premium, id: id)
        XCTAssertEqual(r.decision, .needsConfirmation)
        XCTAssertTrue(r.description.contains("premium"))
        let token = try XCTUnwrap(r.token)
        let action = try await c.confirmLink(token: token, id: id, uri: premium)
        guard case .call(let number, _, let isPremium, _) = action else { return XCTFail("\(action)") }
        XCTAssertEqual(number, "+19005550100")
        XCTAssertTrue(isPremium)
        do {
            _ = try await c.confirmLink(token: token, id: id, uri: premium)
            XCTFail("token reused")
        } catch LinkError.AlreadyUsed {}
        let fwd = try await c.requestLink(uri: "tel:**21*+15550000%23", id: id)
        XCTAssertEqual(fwd.decision, .blocked)
        XCTAssertEqual(fwd.reason, "supplementary_service_code")
        do {
            _ = try await c.requestLink(uri: premium, id: id + 1000)
            XCTFail("a link in no message")
        } catch ClientError.NotFound {}
    }

    func testAProvisioningPushIsVerifiedWithThePinThenConfirmed() async throws {
        let c = try open("+15557108", Events())
        let seen = try inspectProvisioning(wsp: provisioningPush(pin: "1234"))
        XCTAssertEqual(seen.method, "USERPIN")
        XCTAssertTrue(seen.needsPin)
        XCTAssertEqual(seen.mmscUrl, "http://mmsc.kotlin.example/mms")
        do {
            _ = try await c.verifyProvisioning(origin: "127.0.0.1", wsp: provisioningPush(pin: "9999"), pin: "1234", imsi: nil)
            XCTFail("wrong PIN accepted")
        } catch ProvisioningFailure.Refused(_, let threat, _) {
            XCTAssertTrue(threat.hasPrefix("OTA-"))
        }
        let pending = try await c.verifyProvisioning(origin: "127.0.0.1", wsp: provisioningPush(pin: "1234"), pin: "1234", imsi: nil)
        XCTAssertEqual(pending.mmscUrl, "http://mmsc.kotlin.example/mms")
        XCTAssertFalse(try c.profileToml().contains("mmsc.kotlin.example"))
        XCTAssertTrue(pending.changes.contains { $0.field == "mmsc_url" && $0.new == "http://mmsc.kotlin.example/mms" })
        let applied = try await c.confirmProvisioning(token: pending.token)
        XCTAssertEqual(applied, "http://mmsc.kotlin.example/mms")
        XCTAssertTrue(try c.profileToml().contains("mmsc.kotlin.example"))
    }

    func testErrorsSurfaceAsSwiftErrors() async throws {
        XCTAssertThrowsError(try Client.open(dbPath: work.appendingPathComponent("bad.db").path,
                                             profileToml: "mmsc_url = 42", listener: Events())) { e in
            guard case .Profile? = e as? ClientError else { return XCTFail("\(e)") }
        }
        let c = try open("+15557104", Events())
        do {
            _ = try await c.send(message: OutgoingMessage(to: [], subject: nil, parts: [], deliveryReport: nil, readReport: nil))
            XCTFail("no error")
        } catch ClientError.InvalidInput(let reason) {
            XCTAssertFalse(reason.isEmpty)
        }
        try Self.mmsc.register("+15557104", push: nil)
        do {
            _ = try await c.send(message: OutgoingMessage(
                to: ["+15557101"], subject: nil,
                parts: [OutgoingPart(contentType: "application/octet-stream", name: "big.bin", data: Data(count: 2 * 1024 * 1024))],
                deliveryReport: nil, readReport: nil))
            XCTFail("no error")
        } catch ClientError.TooLarge(let size, let max) {
            XCTAssertGreaterThan(size, max)
        }
        do {
            _ = try await c.message(id: 987_654)
            XCTFail("no error")
        } catch ClientError.NotFound {}
        let waiting = try Client.open(dbPath: work.appendingPathComponent("unprovisioned.db").path,
                                      profileToml: "mcc_mnc = \"310-260\"", listener: Events())
        do {
            _ = try await waiting.send(message: textMessage("+15557101", "x"))
            XCTFail("sent without an MMSC")
        } catch ClientError.NotProvisioned {}
        // State: downloading a message the user sent.
        let sent = try await c.send(message: textMessage("+15557104", "x"))
        do {
            try await c.download(id: sent)
            XCTFail("downloaded a sent message")
        } catch ClientError.State {}
        // Storage: a part written where no file can be.
        do {
            _ = try await c.writePart(id: sent, index: 0, path: "/proc/no/such/dir/part.bin")
            XCTFail("wrote into /proc")
        } catch ClientError.Storage {}
        // Network: an MMSC that is not there.
        let nowhere = try Client.open(dbPath: work.appendingPathComponent("nowhere.db").path,
                                      profileToml: "mmsc_url = \"http://127.0.0.1:9/mms\"\nretry_base_ms = 10\nmax_send_attempts = 1",
                                      listener: Events())
        do {
            _ = try await nowhere.send(message: textMessage("+15557104", "x"))
            XCTFail("sent to nowhere")
        } catch ClientError.Network(let reason, _) {
            XCTAssertFalse(reason.isEmpty)
        }
        XCTAssertThrowsError(try decodePdu(bytes: Data([0x8c, 0x80, 0x98])))
    }

    func testDeleteANotifiedMessageAndCheckAPushStatelessly() async throws {
        let events = Events()
        let a = try open("+15557110", Events())
        try Self.mmsc.register("+15557110", push: nil)
        let b = try Client.open(dbPath: work.appendingPathComponent("del.db").path,
                                profileToml: profile(Self.mmsc.url, "+15557111") + "\nauto_download = \"never\"",
                                listener: events)
        try Self.mmsc.register("+15557111", push: try await b.startPushReceiver(bind: "127.0.0.1:0"))
        _ = try await a.send(message: textMessage("+15557111", "gone", subject: "to delete"))
        let id = try events.waitFor("notification stored") { e -> Int64? in
            if case .notificationStored(let i, let auto) = e, !auto { return i }
            return nil
        }
        let outcome = try await b.delete(id: id)
        XCTAssertEqual(outcome, .rejectedAtMmsc)
        let left = try await b.messages()
        XCTAssertTrue(left.isEmpty)
        let v = checkPush(origin: "127.0.0.1", wsp: hex(spoofedPush), mmscUrl: Self.mmsc.url, trustedOrigins: ["127.0.0.1"])
        XCTAssertEqual(v.verdict, .reject)
        XCTAssertEqual(v.threat, "PUSH-1")
    }

    func testASwiftPlatformDecidesAutoDownloadAndFiltersNotifications() async throws {
        final class Phone: Platform, @unchecked Sendable {
            func isRoaming() -> Bool { false }
            func isKnownContact(address: String) -> Bool { address.contains("5557112") }
            func keepNotification(from: String?, subject: String?, size: UInt64?) -> Bool { subject != "spam" }
        }
        let events = Events()
        let c = try Client.openWithPlatform(
            dbPath: work.appendingPathComponent("platform.db").path,
            profileToml: profile(Self.mmsc.url, "+15557113") + "\nauto_download = \"known_contacts_only\"",
            transport: nil, platform: Phone(), listener: events)
        try Self.mmsc.register("+15557113", push: try await c.startPushReceiver(bind: "127.0.0.1:0"))
        for (from, subject) in [("+15557112", "friend"), ("+15557114", "stranger"), ("+15557112", "spam")] {
            let s = try open(from, Events())
            try Self.mmsc.register(from, push: nil)
            _ = try await s.send(message: textMessage("+15557113", subject, subject: subject))
        }
        _ = try events.received()
        let end = Date().addingTimeInterval(10)
        var all = try await c.messages()
        while all.count < 2, Date() < end {
            try await Task.sleep(nanoseconds: 20_000_000)
            all = try await c.messages()
        }
        let bySubject = Dictionary(uniqueKeysWithValues: all.map { ($0.subject ?? "", $0.state) })
        XCTAssertEqual(bySubject["friend"], .downloaded)
        XCTAssertEqual(bySubject["stranger"], .notified)
        XCTAssertNil(bySubject["spam"])
        let audit = try await c.auditLog(reason: nil, limit: 20)
        XCTAssertTrue(audit.contains { $0.threat == "FILTER-1" })
    }

    func testStatelessDecodeOfAPdu() throws {
        let s = try decodePdu(bytes: hex(spoofedPush).dropFirst(6))
        XCTAssertEqual(s.messageType, "m-notification-ind")
        XCTAssertEqual(s.contentLocation, "http://evil.example/a")
        XCTAssertEqual(s.transactionId, "x1")
    }

    func testCarrierSettingsOfASimsNetworkAndAProfileForIt() throws {
        let all = carrierSettings(mccMnc: "310260", spn: nil)
        XCTAssertGreaterThan(all.count, 2)
        XCTAssertTrue(all[0].suggested)
        XCTAssertEqual(all[0].provider, "T-Mobile")
        XCTAssertEqual(all[0].mmscUrl, "http://mms.msg.eng.t-mobile.com/mms/wapenc")
        XCTAssertEqual(carrierSettings(mccMnc: "310-260", spn: "Mint Mobile")[0].provider, "Mint Mobile")
        XCTAssertTrue(carrierSettings(mccMnc: "00101", spn: nil).isEmpty)
        let toml = try profileForSim(mccMnc: "26201", spn: nil, line1: "+491701234567")
        XCTAssertTrue(toml.contains("settings_source = \"carrier_data\""))
    }

    func testEveryEventKindArrivesTyped() async throws {
        let aEvents = Events(), bEvents = Events(), cEvents = Events()
        let a = try open("+15557120", aEvents)
        try Self.mmsc.register("+15557120", push: try await a.startPushReceiver(bind: "127.0.0.1:0"))
        let b = try open("+15557121", bEvents)
        try Self.mmsc.register("+15557121", push: try await b.startPushReceiver(bind: "127.0.0.1:0"))
        let c = try Client.open(dbPath: work.appendingPathComponent("c-events.db").path,
                                profileToml: profile(Self.mmsc.url, "+15557122") + "\nauto_download = \"never\"",
                                listener: cEvents)
        try Self.mmsc.register("+15557122", push: try await c.startPushReceiver(bind: "127.0.0.1:0"))
        let id = try await a.send(message: textMessage("+15557121", "hi", subject: "reports", deliveryReport: true, readReport: true))
        let got = try bEvents.received()
        try await b.confirmDelivered(id: got)
        let delivered = try aEvents.waitFor("delivery report") { e -> String? in
            if case .deliveryReport(let i, _, let status) = e, i == id { return status }
            return nil
        }
        XCTAssertEqual(delivered, "retrieved")
        let reported = try await b.markRead(id: got, sendReport: true)
        XCTAssertTrue(reported)
        _ = try aEvents.waitFor("read report") { e -> Bool? in
            if case .readReport(let i, _, _) = e, i == id { return true }
            return nil
        }
        let second = try await a.send(message: textMessage("+15557122", "bye", subject: "withdrawn"))
        let mid = try aEvents.waitFor("send result") { e -> String? in
            if case .sendResult(let i, _, let m, _) = e, i == second { return m }
            return nil
        }
        _ = try cEvents.waitFor("notification") { e -> Int64? in
            if case .notificationStored(let i, _) = e { return i }
            return nil
        }
        try Self.mmsc.cancel(mid)
        _ = try cEvents.waitFor("cancel") { e -> Bool? in
            if case .messageCancelled(_, let retrieved) = e { return retrieved }
            return nil
        }
        _ = try await b.handlePush(origin: "127.0.0.1",
                                   wsp: notificationPush(tid: "gone1", from: "+15557120", location: "\(Self.mmsc.url)/nope"))
        _ = try bEvents.waitFor("download failed") { e -> Bool? in
            if case .downloadFailed(_, _, let transient) = e { return transient }
            return nil
        }
        _ = try await b.handlePush(origin: "127.0.0.1", wsp: hex(spoofedPush))
        _ = try bEvents.waitFor("security") { e -> String? in
            if case .security(let row) = e { return row.threat }
            return nil
        }
        var kinds = Set<String>()
        for e in aEvents.all + bEvents.all + cEvents.all {
            switch e {
            case .notificationStored: kinds.insert("notification")
            case .messageReceived: kinds.insert("received")
            case .downloadFailed: kinds.insert("download failed")
            case .sendProgress: kinds.insert("progress")
            case .sendResult: kinds.insert("result")
            case .deliveryReport: kinds.insert("delivery")
            case .readReport: kinds.insert("read")
            case .messageCancelled: kinds.insert("cancelled")
            case .security: kinds.insert("security")
            }
        }
        XCTAssertEqual(kinds.count, 9, "\(kinds)")
    }

    func testAListenerUnregistersAndTheAsyncTransportCarriesAMessage() async throws {
        let c = try open("+15557130", Events())
        XCTAssertEqual(c.listenerCount(), 1)
        let extra = Events()
        let handle = c.addListener(listener: extra)
        XCTAssertEqual(c.listenerCount(), 2)
        XCTAssertTrue(handle.unregister())
        XCTAssertFalse(handle.unregister())
        _ = try await c.handlePush(origin: "127.0.0.1", wsp: hex(spoofedPush))
        XCTAssertTrue(extra.all.isEmpty)
        let transport = AsyncSwiftTransport()
        let events = Events()
        let d = try Client.openWithAsyncTransport(
            dbPath: work.appendingPathComponent("async.db").path,
            profileToml: profile(Self.mmsc.url, "+15557131"), transport: transport, listener: events)
        try Self.mmsc.register("+15557131", push: try await d.startPushReceiver(bind: "127.0.0.1:0"))
        _ = try await d.send(message: textMessage("+15557131", "via async", subject: "loop"))
        let got = try events.received()
        let file = work.appendingPathComponent("async-part.txt")
        let written = try await d.writePart(id: got, index: 0, path: file.path)
        XCTAssertEqual(written, 9)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "via async")
        XCTAssertEqual(transport.inner.calls.filter { $0.hasPrefix("GET") }.count, 1)
    }

    func testAnInboxOfAThousandConversationsInThreeCalls() async throws {
        let c = try Client.open(
            dbPath: work.appendingPathComponent("inbox1000.db").path,
            profileToml: profile(Self.mmsc.url, "+15557140") +
                "\nauto_download = \"never\"\ntrusted_push_burst = 5000\ntrusted_push_per_hour = 100000",
            listener: Events())
        for i in 0..<1000 {
            let from = "+1555800" + String(format: "%04d", i)
            let v = try await c.handlePush(origin: "127.0.0.1",
                                           wsp: notificationPush(tid: "t\(i)", from: from, location: "\(Self.mmsc.url)/m\(i)"))
            XCTAssertNotEqual(v.verdict, .reject)
        }
        var calls = 0
        var before: Int64? = nil
        var keys: [String] = []
        repeat {
            let page = try await c.conversations(page: PageRequest(before: before, limit: 500))
            calls += 1
            keys += page.items.map(\.key)
            before = page.next
        } while before != nil
        XCTAssertLessThanOrEqual(calls, 3)
        XCTAssertEqual(Set(keys).count, 1000)
    }

    func testTheEventsAsyncStreamEndsByUnregistering() async throws {
        let c = try open("+15557150", Events())
        XCTAssertEqual(c.listenerCount(), 1)
        let consumer = Task { () -> String? in
            for await e in c.events() {
                if case .security(let row) = e { return row.threat }
            }
            return nil
        }
        let registered = Date().addingTimeInterval(5)
        while c.listenerCount() < 2, Date() < registered { try await Task.sleep(nanoseconds: 5_000_000) }
        XCTAssertEqual(c.listenerCount(), 2)
        _ = try await c.handlePush(origin: "127.0.0.1", wsp: hex(spoofedPush))
        let threat = await consumer.value
        XCTAssertEqual(threat, "PUSH-1")
        // The consumer returned and the stream is gone: its listener is unregistered.
        let end = Date().addingTimeInterval(5)
        while c.listenerCount() != 1, Date() < end { try await Task.sleep(nanoseconds: 10_000_000) }
        XCTAssertEqual(c.listenerCount(), 1)
    }
}
