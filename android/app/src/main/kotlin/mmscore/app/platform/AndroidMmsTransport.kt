// The app's MM1 transport: HTTP over the carrier's MMS network (requested from the
// ConnectivityManager, NET_CAPABILITY_MMS over cellular) through the carrier's MMS proxy when
// the APN has one. The library calls it on its own threads, so blocking here is fine.
package mmscore.app.platform

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import android.net.NetworkRequest
import java.io.IOException
import java.net.HttpURLConnection
import java.net.InetSocketAddress
import java.net.Proxy
import java.net.URL
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import uniffi.mms_ffi.HttpHeader
import uniffi.mms_ffi.HttpReply
import uniffi.mms_ffi.Mm1Transport
import uniffi.mms_ffi.TransportFailure

class AndroidMmsTransport(
    context: Context,
    /** The APN's MMS proxy as host:port, if any. */
    private val proxy: String? = null,
    private val maxResponse: Int = 2 * 1024 * 1024,
) : Mm1Transport {
    private val connectivity: ConnectivityManager =
        checkNotNull(context.getSystemService(ConnectivityManager::class.java)) { "no ConnectivityManager" }

    /** Requests the MMS network and waits for it (released after each exchange). */
    private fun <T> onMmsNetwork(block: (Network) -> T): T {
        val ready = CompletableFuture<Network>()
        val callback = object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) { ready.complete(network) }
            override fun onUnavailable() { ready.completeExceptionally(IOException("no MMS network")) }
        }
        val request = NetworkRequest.Builder()
            .addTransportType(NetworkCapabilities.TRANSPORT_CELLULAR)
            .addCapability(NetworkCapabilities.NET_CAPABILITY_MMS)
            .build()
        connectivity.requestNetwork(request, callback, 30_000)
        try {
            val network = try {
                ready.get(35, TimeUnit.SECONDS)
            } catch (e: Exception) {
                throw TransportFailure.Connect(e.toString())
            }
            return try {
                block(network)
            } catch (e: java.net.SocketTimeoutException) {
                throw TransportFailure.Timeout(e.toString())
            } catch (e: IOException) {
                throw TransportFailure.Dropped(e.toString())
            }
        } finally {
            connectivity.unregisterNetworkCallback(callback)
        }
    }

    private fun exchange(method: String, url: String, headers: List<HttpHeader>, body: ByteArray?): HttpReply =
        onMmsNetwork { network ->
            val p = proxy?.split(':')?.let { Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(it[0], it[1].toInt())) }
            val c = (if (p != null) network.openConnection(URL(url), p) else network.openConnection(URL(url))) as HttpURLConnection
            c.instanceFollowRedirects = false
            c.connectTimeout = 30_000
            c.readTimeout = 60_000
            c.requestMethod = method
            headers.forEach { c.setRequestProperty(it.name, it.value) }
            if (body != null) {
                c.doOutput = true
                c.setFixedLengthStreamingMode(body.size)
                c.outputStream.use { it.write(body) }
            }
            val status = c.responseCode
            val stream = if (status >= 400) c.errorStream else c.inputStream
            val out = java.io.ByteArrayOutputStream()
            stream?.use { s ->
                val buf = ByteArray(16 * 1024)
                while (true) {
                    val n = s.read(buf)
                    if (n < 0) break
                    if (out.size() + n > maxResponse) {
                        throw TransportFailure.Dropped("response over $maxResponse octets")
                    }
                    out.write(buf, 0, n)
                }
            }
            HttpReply(status.toUShort(), out.toByteArray(), c.getHeaderField("Retry-After")?.toULongOrNull())
        }

    override fun post(url: String, headers: List<HttpHeader>, body: ByteArray): HttpReply =
        exchange("POST", url, headers, body)

    override fun get(url: String, headers: List<HttpHeader>): HttpReply =
        exchange("GET", url, headers, null)
}
