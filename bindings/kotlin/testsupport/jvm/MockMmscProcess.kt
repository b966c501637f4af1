// The mock MMSC binary as a process, for the JVM test suites (bindings/kotlin/src and
// android/presentation/src/test).
package mmscore.testsupport

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit

/** The mock MMSC binary, started for the suite (with more of its command-line [options]). */
class Mmsc(binary: String, vararg options: String) : AutoCloseable {
    private val process: Process =
        ProcessBuilder(listOf(binary, "--bind", "127.0.0.1:0") + options).redirectErrorStream(true).start()
    val url: String
    val admin: String
    private val token: String

    init {
        val out = process.inputStream.bufferedReader()
        val line = out.readLine() ?: throw AssertionError("mock-mmsc printed nothing")
        // "mock-mmsc listening on 127.0.0.1:PORT (MMSC URL http://127.0.0.1:PORT/mms)"
        url = line.substringAfter("MMSC URL ").substringBefore(")")
        // "admin API on http://127.0.0.1:PORT/_admin token TOKEN": its own port, its token.
        val adminLine = out.readLine() ?: throw AssertionError("mock-mmsc printed no admin line")
        admin = adminLine.substringAfter("admin API on ").substringBefore(" ")
        token = adminLine.substringAfter(" token ").trim()
    }

    fun register(number: String, push: String?) {
        val body = if (push == null) "{\"msisdn\":\"$number\"}"
        else "{\"msisdn\":\"$number\",\"push\":\"$push\"}"
        val req = HttpRequest.newBuilder(URI.create("$admin/subscribers"))
            .header("content-type", "application/json")
            .header("authorization", "Bearer $token")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build()
        val r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString())
        check(r.statusCode() == 204) { "register: ${r.statusCode()}" }
    }

    /** The MMSC withdraws message [messageId] (M-Cancel.req to its recipients). */
    fun cancel(messageId: String) {
        val req = HttpRequest.newBuilder(URI.create("$admin/cancel/$messageId"))
            .header("authorization", "Bearer $token")
            .POST(HttpRequest.BodyPublishers.noBody()).build()
        val r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString())
        check(r.statusCode() == 200) { "cancel: ${r.statusCode()} ${r.body()}" }
    }

    override fun close() {
        process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
    }
}
