import MmsCore
import MmsPresentation
import SwiftUI
import UIKit

/// A message as its render plan says; links go through the confirmation sheet.
struct ConversationView: View {
    let id: Int64
    @EnvironmentObject var links: LinkConfirmationModel
    @EnvironmentObject var model: ConversationModel

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                Text(model.from)
                if model.participants.count > 1 {
                    Text("with " + model.participants.joined(separator: ", "))
                }
                Text(model.subject).font(.headline).accessibilityIdentifier("subject")
                ForEach(Array(model.slides.enumerated()), id: \.offset) { _, slide in
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
                ForEach(model.links, id: \.self) { link in
                    Button(link) { Task { await links.tapped(link, messageId: id) } }.accessibilityIdentifier("link")
                }
            }.padding()
        }
        .task { await model.open(id, sendReadReport: true) }
    }
}
