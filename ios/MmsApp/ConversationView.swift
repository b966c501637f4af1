import MmsCore
import MmsPresentation
import SwiftUI
import UIKit

/// A message as its render plan says; links go through the confirmation sheet.
struct ConversationView: View {
    let id: Int64
    @EnvironmentObject var env: AppEnvironment
    @EnvironmentObject var links: LinkConfirmationModel
    @StateObject private var model: ConversationModelBox = ConversationModelBox()

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(model.m?.from ?? "")
                Text(model.m?.subject ?? "").font(.headline).accessibilityIdentifier("subject")
                ForEach(Array((model.m?.slides ?? []).enumerated()), id: \.offset) { _, slide in
                    ForEach(Array(slide.content.enumerated()), id: \.offset) { _, c in
                        switch c {
                        case .text(let t): Text(t).accessibilityIdentifier("text")
                        case .media(_, let type, let data):
                            if type.hasPrefix("image/"), let img = UIImage(data: data) {
                                Image(uiImage: img).resizable().scaledToFit()
                            } else {
                                Label(type, systemImage: "play.rectangle")
                            }
                        case .attachment(_, let name, let type): Label("\(name) (\(type))", systemImage: "paperclip")
                        case .blocked(let name, let reasons): Text("Blocked: \(name) (\(reasons.joined(separator: ", ")))")
                        }
                    }
                }
                ForEach(model.m?.links ?? [], id: \.self) { link in
                    Button(link) { links.tapped(link, messageId: String(id)) }.accessibilityIdentifier("link")
                }
            }.padding()
        }
        .onAppear {
            let m = ConversationModel(client: env.client)
            m.open(id, sendReadReport: true)
            model.m = m
        }
    }
}

@MainActor
final class ConversationModelBox: ObservableObject {
    @Published var m: ConversationModel?
}
