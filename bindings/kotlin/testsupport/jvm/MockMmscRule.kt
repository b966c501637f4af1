// One mock MMSC process and one scratch folder for a JUnit test class, for the JVM suites that
// run under JUnit (android/presentation, android/app under Robolectric, android/screens):
//   companion object { @ClassRule @JvmField val env = MockMmscRule("presentation") }
package mmscore.testsupport

import java.io.File
import org.junit.rules.ExternalResource

class MockMmscRule(name: String) : ExternalResource() {
    /** The mock MMSC (the binary in $MOCK_MMSC, else target/debug/mock-mmsc). */
    lateinit var mmsc: Mmsc
        private set

    /** A folder for the class's databases, removed afterwards. */
    val work = File(System.getProperty("java.io.tmpdir"), "mms-$name-${ProcessHandle.current().pid()}")

    private var next = 0

    /** A number not used before in this class: `prefix` followed by four digits. */
    fun number(prefix: String): String = "%s%04d".format(prefix, next++)

    override fun before() {
        mmsc = Mmsc(System.getenv("MOCK_MMSC") ?: "target/debug/mock-mmsc")
        work.mkdirs()
    }

    override fun after() {
        mmsc.close()
        work.deleteRecursively()
    }
}
