//! Confirmation tokens for pending changes: 128 random bits from the operating system's CSPRNG,
//! drawn from a pool that one system call fills for 32 tokens (a system call per document was
//! about 4% of a verification's time, `perf record` on `cp_verify`). Bytes handed out are
//! wiped from the pool.

use std::sync::Mutex;
use zeroize::Zeroize;

const TOKEN: usize = 16;
const POOL: usize = 32 * TOKEN;

/// A pool of random octets for tokens.
pub(super) struct TokenPool(Mutex<Pool>);

struct Pool {
    bytes: [u8; POOL],
    next: usize,
}

impl Default for TokenPool {
    fn default() -> Self {
        Self(Mutex::new(Pool {
            bytes: [0; POOL],
            next: POOL,
        }))
    }
}

impl TokenPool {
    /// A fresh token, as 32 lowercase hex digits.
    pub(super) fn token(&self) -> String {
        let mut t = [0u8; TOKEN];
        match self.0.lock() {
            Ok(mut p) => p.take(&mut t),
            // A poisoned pool is not trusted: this token alone comes straight from the OS.
            Err(_) => fill(&mut t),
        }
        let s = super::transaction::hex(&t);
        t.zeroize();
        s
    }
}

impl Pool {
    fn take(&mut self, out: &mut [u8; TOKEN]) {
        if self.next.saturating_add(TOKEN) > POOL {
            fill(&mut self.bytes);
            self.next = 0;
        }
        let end = self.next.saturating_add(TOKEN);
        match self.bytes.get_mut(self.next..end) {
            Some(chunk) => {
                out.copy_from_slice(chunk);
                chunk.zeroize();
            }
            None => fill(out),
        }
        self.next = end;
    }
}

fn fill(b: &mut [u8]) {
    // As before the pool: a failing CSPRNG leaves zeros (the token then only names a pending
    // change in this process; it authorises nothing by itself).
    let _ = getrandom::fill(b);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn tokens_are_distinct_across_refills_and_wiped_from_the_pool() {
        let pool = TokenPool::default();
        let tokens: HashSet<String> = (0..100).map(|_| pool.token()).collect();
        assert_eq!(tokens.len(), 100);
        assert!(tokens.iter().all(|t| t.len() == 32));
        let p = pool.0.lock().unwrap();
        // 100 tokens: the pool was refilled 4 times and 4 tokens of the last fill are spent.
        assert_eq!(p.next, 4 * TOKEN);
        assert!(p.bytes[..p.next].iter().all(|b| *b == 0));
        assert!(p.bytes[p.next..].iter().any(|b| *b != 0));
    }
}
