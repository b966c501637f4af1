import MmsCore
import MmsPresentation
import SwiftUI

struct ComposeView: View {
    @EnvironmentObject var env: AppEnvironment
    @Environment(\.dismiss) private var dismiss
    @StateObject private var box = ComposeModelBox()

    var body: some View {
        Form {
            if let m = box.m {
                TextField("To", text: Binding(get: { m.recipients }, set: { m.recipients = $0 })).accessibilityIdentifier("to")
                TextField("Subject", text: Binding(get: { m.subject }, set: { m.subject = $0 })).accessibilityIdentifier("subject-input")
                TextField("Message", text: Binding(get: { m.text }, set: { m.text = $0 }), axis: .vertical).accessibilityIdentifier("text-input")
                if case .failed(let why) = m.status { Text(why).accessibilityIdentifier("send-error") }
                Button("Send") { m.send() }.disabled(!m.canSend).accessibilityIdentifier("send")
            }
        }
        .onAppear { if box.m == nil { box.m = ComposeModel(client: env.client) } }
        .onReceive(box.$m.compactMap { $0 }.flatMap { $0.$status }) { status in
            if case .sent = status { dismiss() }
        }
        .navigationTitle("New message")
    }
}

@MainActor
final class ComposeModelBox: ObservableObject {
    @Published var m: ComposeModel?
}
