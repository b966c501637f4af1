// OTA settings (OTA-1..7): verified with the PIN, reviewed, applied only when confirmed.
import Combine
import Foundation
import MmsCore

public enum ProvisioningUi: Equatable {
    case idle
    case needsPin(origin: String, push: Data, needsPin: Bool, mmscUrl: String?)
    case review(token: String, mmscUrl: String, changes: [String], downgrade: Bool)
    case applied(String)
    case refused(String, threat: String?)
}

@MainActor
public final class ProvisioningModel: ObservableObject {
    @Published public private(set) var state = ProvisioningUi.idle
    private let client: Client

    public init(client: Client) { self.client = client }

    public func received(origin: String, push: Data) {
        do {
            let seen = try inspectProvisioning(wsp: push)
            state = .needsPin(origin: origin, push: push, needsPin: seen.needsPin, mmscUrl: seen.mmscUrl)
        } catch {
            state = .refused(error.localizedDescription, threat: nil)
        }
    }

    public func submitPin(_ pin: String?) {
        guard case .needsPin(let origin, let push, _, _) = state else { return }
        Task {
            do {
                let p = try await client.verifyProvisioning(origin: origin, wsp: push, pin: pin, imsi: nil)
                state = .review(token: p.token, mmscUrl: p.mmscUrl, changes: p.changes.map { "\($0.field): \($0.old ?? "-") -> \($0.new ?? "-")" }, downgrade: p.downgrade)
            } catch ProvisioningFailure.Refused(_, let threat, let reason) {
                state = .refused(reason, threat: threat)
            } catch {
                state = .refused(error.localizedDescription, threat: nil)
            }
        }
    }

    public func confirm() {
        guard case .review(let token, _, _, _) = state else { return }
        Task {
            do { state = .applied(try await client.confirmProvisioning(token: token)) }
            catch { state = .refused(error.localizedDescription, threat: nil) }
        }
    }

    public func reject() {
        guard case .review(let token, _, _, _) = state else { return }
        state = .idle
        let client = self.client
        Task { try? await client.rejectProvisioning(token: token) }
    }
}
