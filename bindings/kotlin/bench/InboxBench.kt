// The old API against the new one, from Kotlin, in the same run (bindings/kotlin/bench.sh; not
// CI): showing an inbox of 1,000 received messages, and opening a message with a 3 MB
// attachment. Reported as calls across the boundary, time, and part bytes carried across it.
package mmscore.bench

import java.io.File
import kotlinx.coroutines.runBlocking
import mmscore.testsupport.Mmsc
import mmscore.testsupport.profile
import uniffi.mms_ffi.Client
import uniffi.mms_ffi.EventListener
import uniffi.mms_ffi.MessageState
import uniffi.mms_ffi.MmsEvent
import uniffi.mms_ffi.OutgoingMessage
import uniffi.mms_ffi.OutgoingPart
import uniffi.mms_ffi.PageRequest

private object Ignore : EventListener {
    override fun onEvent(event: MmsEvent) {}
}

private class Result(val calls: Int, val bytes: Long)

private fun median(runs: Int, body: () -> Result): Triple<Int, Double, Long> {
    body() // warm-up
    var last = Result(0, 0)
    val times = (1..runs).map {
        val t = System.nanoTime()
        last = body()
        (System.nanoTime() - t) / 1e6
    }.sorted()
    return Triple(last.calls, times[times.size / 2], last.bytes)
}

private fun row(what: String, r: Triple<Int, Double, Long>) =
    println("%-44s %6d calls %10.2f ms %12d part bytes".format(what, r.first, r.second, r.third))

fun inboxBench(binary: String) {
    val work = File(System.getProperty("java.io.tmpdir"), "mms-bench-${ProcessHandle.current().pid()}")
    work.mkdirs()
    Mmsc(binary, "--max-body", "8388608", "--max-message-size", "8388608",
        "--rate-burst", "100000", "--rate-per-minute", "1000000",
        "--ip-rate-burst", "100000", "--ip-rate-per-minute", "1000000").use { mmsc ->
        val roomy = "\nmax_message_size = 4194304\nmax_response_size = 8388608\n" +
            "trusted_push_burst = 5000\ntrusted_push_per_hour = 100000"
        val b = Client.open(File(work, "b.db").path, profile(mmsc.url, "+15559000") + roomy, Ignore)
        mmsc.register("+15559000", runBlocking { b.startPushReceiver("127.0.0.1:0") })
        val senders = (1..20).map { i ->
            val n = "+155590%02d".format(i)
            mmsc.register(n, null)
            Client.open(File(work, "s$i.db").path, profile(mmsc.url, n) + roomy, Ignore)
        }
        runBlocking {
            for (k in 0 until 1000) {
                senders[k % 20].send(OutgoingMessage(listOf("+15559000"), "m$k",
                    listOf(OutgoingPart("text/plain", "t.txt", "message $k".toByteArray())), null, null))
            }
        }
        val big = runBlocking {
            senders[0].send(OutgoingMessage(listOf("+15559000"), "big",
                listOf(OutgoingPart("text/plain", "t.txt", "see attachment".toByteArray()),
                    OutgoingPart("application/octet-stream", "big.bin", ByteArray(3 * 1024 * 1024) { it.toByte() })),
                null, null))
        }
        // Wait until B has all 1,001 downloaded.
        val end = System.currentTimeMillis() + 120_000
        while (System.currentTimeMillis() < end) {
            val done = runBlocking { b.messages() }.count { it.state == MessageState.DOWNLOADED }
            if (done >= 1001) break
            Thread.sleep(200)
        }
        val bigId = runBlocking { b.messages() }.first { it.subject == "big" }.id
        check(big > 0)

        println("inbox of 1,001 received messages from 20 people")
        row("old: messages() + participants(id) per row", median(5) {
            runBlocking {
                val all = b.messages()
                val people = all.map { b.participants(it.id) }
                check(people.size == all.size)
                Result(1 + all.size, 0)
            }
        })
        row("new: conversations(page of 500)", median(5) {
            runBlocking {
                var calls = 0
                var before: Long? = null
                do {
                    val page = b.conversations(PageRequest(before, 500u))
                    calls++
                    before = page.next
                } while (before != null)
                Result(calls, 0)
            }
        })
        println("opening a message with a 3 MB attachment")
        row("old: messages() + parts + renderPlan + participants", median(10) {
            runBlocking {
                b.messages().first { it.id == bigId }
                val parts = b.parts(bigId)
                b.renderPlan(bigId)
                b.participants(bigId)
                Result(4, parts.sumOf { it.data.size.toLong() })
            }
        })
        row("new: message(id) + partData(text part)", median(10) {
            runBlocking {
                val screen = b.message(bigId)
                val text = screen.parts.first { it.contentType.startsWith("text/plain") }
                val data = b.partData(bigId, text.index)
                Result(2, data.size.toLong())
            }
        })
        val file = File(work, "big.bin")
        row("new: ... + writePart(attachment, file)", median(10) {
            runBlocking {
                val screen = b.message(bigId)
                val att = screen.parts.first { it.name == "big.bin" }
                b.writePart(bigId, att.index, file.path)
                Result(2, 0)
            }
        })
    }
    work.deleteRecursively()
}
