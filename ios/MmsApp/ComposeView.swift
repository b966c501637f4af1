import MmsCore
import MmsPresentation
import SwiftUI

struct ComposeView: View {
    @EnvironmentObject var m: ComposeModel
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        Form {
            TextField("To", text: $m.recipients).accessibilityIdentifier("to")
            TextField("Subject", text: $m.subject).accessibilityIdentifier("subject-input")
            TextField("Message", text: $m.text, axis: .vertical).accessibilityIdentifier("text-input")
            if case .failed(let why) = m.status { Text(why).accessibilityIdentifier("send-error") }
            Button("Send") { m.send() }.disabled(!m.canSend).accessibilityIdentifier("send")
        }
        .onChange(of: m.status) { status in
            if case .sent = status { dismiss() }
        }
        .navigationTitle("New message")
    }
}
