import MmsCore
import MmsPresentation
import SwiftUI

/// The link confirmation sheet (LINK-1..4).
struct LinkConfirmationSheet: View {
    @EnvironmentObject var links: LinkConfirmationModel

    var body: some View {
        VStack(spacing: 16) {
            switch links.sheet {
            case .confirm(_, let description, _):
                Text("Open this link?").font(.headline)
                Text(description).accessibilityIdentifier("link-description")
                HStack {
                    Button("Cancel") { links.dismiss() }
                    Button("Continue") { Task { await links.confirm() } }.accessibilityIdentifier("link-confirm")
                }
            case .blocked(_, let reason, let threat):
                Text("Blocked").font(.headline)
                Text(reason + (threat.map { " (\($0))" } ?? "")).accessibilityIdentifier("link-blocked")
                Button("OK") { links.dismiss() }
            default:
                EmptyView()
            }
        }.padding()
    }
}

/// OTA settings: PIN, review, confirmation (OTA-1..7).
struct ProvisioningSheet: View {
    @EnvironmentObject var provisioning: ProvisioningModel
    @State private var pin = ""

    var body: some View {
        VStack(spacing: 16) {
            switch provisioning.state {
            case .needsPin(_, _, let needsPin, let mmscUrl):
                Text("New MMS settings").font(.headline)
                Text("MMSC: \(mmscUrl ?? "none") (not verified yet)")
                if needsPin { SecureField("PIN from your operator", text: $pin) }
                Button("Verify") { provisioning.submitPin(pin.isEmpty ? nil : pin) }
            case .review(_, _, let changes, let downgrade):
                Text(downgrade ? "Weaker settings: check before applying" : "Apply these settings?").font(.headline)
                ForEach(changes, id: \.self) { Text($0) }
                HStack {
                    Button("Reject") { provisioning.reject() }
                    Button("Apply") { provisioning.confirm() }
                }
            case .refused(let why, let threat):
                Text("Settings refused").font(.headline)
                Text(why + (threat.map { " (\($0))" } ?? ""))
            case .applied(let url):
                Text("Applied: \(url)")
            case .idle:
                EmptyView()
            }
        }.padding()
    }
}

struct SecurityLogView: View {
    @EnvironmentObject var log: SecurityLogModel

    var body: some View {
        List(log.lines) { l in
            VStack(alignment: .leading) {
                Text(l.title + (l.threat.map { " · \($0)" } ?? ""))
                Text(l.subject).font(.caption)
                Text(l.detail).font(.caption2)
            }.accessibilityIdentifier("audit")
        }
        .task { await log.refresh() }
        .navigationTitle("Security log")
    }
}
