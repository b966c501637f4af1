// Where the view models call the library from. A suspend call into the library finishes when
// the library's runtime wakes it, on one of the library's threads; a dispatcher that resumes
// the caller right there, inside that wake-up (Compose for desktop's effect dispatcher does),
// polls the library's future while its waker still holds the future's lock, and both wait
// forever (seen in the screen renders). Every suspend function a screen may call directly
// therefore hops to Dispatchers.Default first: the wake-up only posts the continuation.
package mmscore.presentation

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/** Runs [block] (a library call) on Dispatchers.Default, whatever the caller's dispatcher. */
internal suspend fun <T> offUi(block: suspend () -> T): T = withContext(Dispatchers.Default) { block() }
