// XCUITests: the SwiftUI screens against the mock MMSC on the Mac running the simulator,
// driving the scenario of the JVM suites (bindings/kotlin/src/MmsFfiTest.kt and
// android/presentation/src/test) and the Android UI tests: receive and read a message, a
// premium link behind the confirmation sheet, compose and send, a spoofed push in the security
// log. Run by ios/run-ui-tests.sh.
import XCTest

final class MessagingFlowUITests: XCTestCase {
    let env = ProcessInfo.processInfo.environment
    var mmsc: String { env["MMS_UI_MMSC"] ?? "http://127.0.0.1:8002/mms" }
    // The admin API has its own port and wants the run's token (ios/run-ui-tests.sh).
    var adminURL: String { env["MMS_UI_ADMIN"] ?? "http://127.0.0.1:8003/_admin" }
    var adminToken: String { env["MMS_UI_ADMIN_TOKEN"] ?? "" }
    let me = "+15557401"
    let peer = "+15557402"

    private func admin(_ path: String, _ json: String) throws {
        var req = URLRequest(url: URL(string: adminURL + path)!)
        req.httpMethod = "POST"
        req.setValue("application/json", forHTTPHeaderField: "content-type")
        req.setValue("Bearer \(adminToken)", forHTTPHeaderField: "authorization")
        req.httpBody = Data(json.utf8)
        let done = expectation(description: path)
        URLSession.shared.dataTask(with: req) { _, _, _ in done.fulfill() }.resume()
        wait(for: [done], timeout: 10)
    }

    private func launch() -> XCUIApplication {
        let app = XCUIApplication()
        app.launchEnvironment = [
            "MMS_RESET": "1",
            "MMS_PUSH_BIND": "127.0.0.1:2948",
            "MMS_PROFILE": """
            mmsc_url = "\(mmsc)"
            http_headers = ["X-Mms-Subscriber: ##LINE1##"]
            line1 = "\(me)"
            push_origins = ["127.0.0.1"]
            """,
        ]
        app.launch()
        return app
    }

    func testReceiveReadAndConfirmAChargeableLink() throws {
        let app = launch()
        try admin("/subscribers", "{\"msisdn\":\"\(me)\",\"push\":\"127.0.0.1:2948\"}")
        // The peer's message is injected by run-ui-tests.sh through the mock CLI (`mms send`).
        let subject = app.staticTexts["from the UI test"]
        XCTAssertTrue(subject.waitForExistence(timeout: 30))
        subject.tap()
        XCTAssertTrue(app.staticTexts["text"].waitForExistence(timeout: 5))
        app.buttons["link"].firstMatch.tap()
        let description = app.staticTexts["link-description"]
        XCTAssertTrue(description.waitForExistence(timeout: 5))
        XCTAssertTrue(description.label.contains("premium"))
    }

    func testComposeAndSend() throws {
        let app = launch()
        try admin("/subscribers", "{\"msisdn\":\"\(peer)\"}")
        app.buttons["compose"].tap()
        app.textFields["to"].tap()
        app.textFields["to"].typeText(peer)
        app.textFields["text-input"].tap()
        app.textFields["text-input"].typeText("sent from the screen")
        app.buttons["send"].tap()
        XCTAssertTrue(app.navigationBars["Messages"].waitForExistence(timeout: 15))
        XCTAssertTrue(app.staticTexts["Sent"].waitForExistence(timeout: 15))
    }
}
