// The Swift suite: real Swift calling the real library through the generated bindings,
// against the real mock MMSC binary over loopback. It mirrors the Kotlin suite
// (bindings/kotlin/src/MmsFfiTest.kt) test for test.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

@testable import MmsFfi

final class Events: EventListener, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [MmsEvent] = []

    func onEvent(event: MmsEvent) {
        lock.lock(); seen.append(event); lock.unlock()
    }

    func waitFor(_ kind: String, timeout: TimeInterval = 10) throws -> MmsEvent {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            lock.lock(); let hit = seen.first { $0.kind == kind }; lock.unlock()
            if let hit { return hit }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Timeout(what: "no \(kind) event")
    }
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
        var status = 0
        URLSession.shared.dataTask(with: req) { _, r, _ in
            status = (r as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        XCTAssertEqual(status, 204)
    }

    deinit { process.terminate() }
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

/// The app's own MM1 transport, in Swift (URLSession), counting what it carried.
final class SwiftTransport: Mm1Transport, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls: [String] = []

    private func exchange(_ req: URLRequest) throws -> HttpReply {
        let done = DispatchSemaphore(value: 0)
        var reply: HttpReply?
        var failure: Error?
        URLSession.shared.dataTask(with: req) { data, r, e in
            if let r = r as? HTTPURLResponse {
                let retry = (r.value(forHTTPHeaderField: "retry-after")).flatMap { UInt64($0) }
                reply = HttpReply(status: UInt16(r.statusCode), body: data ?? Data(), retryAfterSecs: retry)
            } else {
                failure = e
            }
            done.signal()
        }.resume()
        done.wait()
        if let reply { return reply }
        throw TransportFailure.Connect(reason: String(describing: failure))
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

final class MmsFfiTests: XCTestCase {
    static var mmsc: Mmsc!
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("mms-swift-\(getpid())")

    override class func setUp() {
        mmsc = try! Mmsc()
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
        let id = try await a.send(message: OutgoingMessage(
            to: ["+15557102"], subject: "from Swift",
            parts: [OutgoingPart(contentType: "text/plain", name: "t.txt", data: Data("Hello from Swift".utf8))],
            deliveryReport: nil, readReport: nil))
        XCTAssertTrue(try aEvents.waitFor("send_result").json.contains("\"ok\":true"))
        XCTAssertEqual(try a.messages().first { $0.id == id }?.state, "SENT")
        let received = try bEvents.waitFor("message_received")
        let msg = try XCTUnwrap(try b.messages().first { $0.id == received.messageId })
        XCTAssertEqual(msg.subject, "from Swift")
        let text = try b.parts(id: msg.id).first { $0.contentType == "text/plain" }
        XCTAssertEqual(text.map { String(decoding: $0.data, as: UTF8.self) }, "Hello from Swift")
        // B's conversation is with A alone (B's own number left out).
        XCTAssertEqual(try b.participants(id: msg.id), ["+15557101"])
        let plan = try b.renderPlan(id: msg.id)
        XCTAssertEqual(plan.parts.first { $0.contentType.hasPrefix("text/plain") }?.decision, "auto")
        try await b.confirmDelivered(id: msg.id)
        XCTAssertEqual(try b.messages().first { $0.id == msg.id }?.state, "ACKNOWLEDGED")
    }

    func testASwiftTransportCarriesAMessageBothWays() async throws {
        let transport = SwiftTransport()
        let events = Events()
        let d = try Client.openWithTransport(
            dbPath: work.appendingPathComponent("d.db").path,
            profileToml: profile(Self.mmsc.url, "+15557105"), transport: transport, listener: events)
        try Self.mmsc.register("+15557105", push: try await d.startPushReceiver(bind: "127.0.0.1:0"))
        _ = try await d.send(message: OutgoingMessage(
            to: ["+15557105"], subject: "loop",
            parts: [OutgoingPart(contentType: "text/plain", name: "t.txt", data: Data("via Swift".utf8))],
            deliveryReport: nil, readReport: nil))
        let got = try events.waitFor("message_received")
        XCTAssertEqual(try d.parts(id: got.messageId).first.map { String(decoding: $0.data, as: UTF8.self) }, "via Swift")
        XCTAssertEqual(transport.calls.filter { $0.hasPrefix("POST") }.count, 1)
        XCTAssertEqual(transport.calls.filter { $0.hasPrefix("GET") }.count, 1)
    }

    func testASpoofedPushIsRejectedWithItsReasonAndAudited() async throws {
        let c = try open("+15557103", Events())
        let v = await c.handlePush(origin: "127.0.0.1", wsp: hex(spoofedPush))
        XCTAssertEqual(v.verdict, "reject")
        XCTAssertEqual(v.reason, "spoofed_content_location")
        XCTAssertEqual(v.threat, "PUSH-1")
        XCTAssertEqual(try c.auditLog(reason: "spoofed_content_location", limit: 5).first?.threat, "PUSH-1")
        XCTAssertTrue(try c.messages().isEmpty)
    }

    func testAChargeableLinkNeedsConfirmationOnce() throws {
        let c = try open("+15557107", Events())
        let premium = "tel:+19005550100"
        let r = c.requestLink(uri: premium, messageId: "m1")
        XCTAssertEqual(r.decision, "needs_confirmation")
        XCTAssertTrue(r.description.contains("premium"))
        let token = try XCTUnwrap(r.token)
        XCTAssertTrue(try c.confirmLink(token: token, messageId: "m1", uri: premium).contains("19005550100"))
        XCTAssertThrowsError(try c.confirmLink(token: token, messageId: "m1", uri: premium))
        let fwd = c.requestLink(uri: "tel:**21*+15550000%23", messageId: "m1")
        XCTAssertEqual(fwd.decision, "blocked")
        XCTAssertEqual(fwd.reason, "supplementary_service_code")
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
        XCTAssertEqual(try c.confirmProvisioning(token: pending.token), "http://mmsc.kotlin.example/mms")
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
        } catch ClientError.InvalidMessage(let reason) {
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
        _ = try await a.send(message: OutgoingMessage(
            to: ["+15557111"], subject: "to delete",
            parts: [OutgoingPart(contentType: "text/plain", name: "t.txt", data: Data("gone".utf8))],
            deliveryReport: nil, readReport: nil))
        _ = try events.waitFor("notification_stored")
        let id = try XCTUnwrap(try b.messages().first?.id)
        let outcome = try await b.delete(id: id)
        XCTAssertEqual(outcome, "rejected_at_mmsc")
        XCTAssertTrue(try b.messages().isEmpty)
        let v = checkPush(origin: "127.0.0.1", wsp: hex(spoofedPush), mmscUrl: Self.mmsc.url, trustedOrigins: ["127.0.0.1"])
        XCTAssertEqual(v.verdict, "reject")
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
            _ = try await s.send(message: OutgoingMessage(
                to: ["+15557113"], subject: subject,
                parts: [OutgoingPart(contentType: "text/plain", name: "t.txt", data: Data(subject.utf8))],
                deliveryReport: nil, readReport: nil))
        }
        _ = try events.waitFor("message_received")
        let end = Date().addingTimeInterval(10)
        while try c.messages().count < 2, Date() < end { Thread.sleep(forTimeInterval: 0.02) }
        let bySubject = Dictionary(uniqueKeysWithValues: try c.messages().map { ($0.subject ?? "", $0.state) })
        XCTAssertEqual(bySubject["friend"], "DOWNLOADED")
        XCTAssertEqual(bySubject["stranger"], "NOTIFIED")
        XCTAssertNil(bySubject["spam"])
        XCTAssertTrue(try c.auditLog(reason: nil, limit: 20).contains { $0.threat == "FILTER-1" })
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
}
