//! Reading a child's output line by line with a cap on line length, so that a child that
//! prints without end never grows the host's memory.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// One line of a child's output.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Line {
    pub(super) text: String,
    /// The line was longer than the cap: `text` is its beginning, the rest was dropped.
    pub(super) truncated: bool,
}

/// Splits a stream into lines of at most `cap` bytes; the remainder of a longer line is
/// read and dropped, so memory stays under `cap` plus the read buffer.
pub(super) struct CappedLines<R> {
    reader: BufReader<R>,
    cap: usize,
    line: Vec<u8>,
    /// Inside an over-long line whose beginning was already returned.
    discarding: bool,
}

impl<R: AsyncRead + Unpin> CappedLines<R> {
    pub(super) fn new(reader: R, cap: usize) -> Self {
        Self {
            reader: BufReader::with_capacity(8 * 1024, reader),
            cap: cap.max(1),
            line: Vec::new(),
            discarding: false,
        }
    }

    /// The next line, without its line ending; `None` at the end of the stream.
    pub(super) async fn next_line(&mut self) -> io::Result<Option<Line>> {
        loop {
            let available = self.reader.fill_buf().await?;
            if available.is_empty() {
                self.discarding = false;
                return Ok((!self.line.is_empty()).then(|| self.take(false)));
            }
            let newline = available.iter().position(|&byte| byte == b'\n');
            let end = newline.unwrap_or(available.len());
            let mut cut = false;
            if !self.discarding {
                let room = self.cap - self.line.len();
                cut = end > room;
                self.line.extend_from_slice(&available[..end.min(room)]);
            }
            let consumed = newline.map_or(available.len(), |at| at + 1);
            self.reader.consume(consumed);
            if newline.is_some() {
                if std::mem::take(&mut self.discarding) {
                    continue;
                }
                return Ok(Some(self.take(cut)));
            }
            if !self.discarding && self.line.len() >= self.cap {
                self.discarding = true;
                return Ok(Some(self.take(true)));
            }
        }
    }

    fn take(&mut self, truncated: bool) -> Line {
        let mut bytes = std::mem::take(&mut self.line);
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        Line {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;

    use super::*;

    async fn lines(input: &[u8], cap: usize) -> Vec<(String, bool)> {
        let mut reader = CappedLines::new(input, cap);
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().await.unwrap() {
            out.push((line.text, line.truncated));
        }
        out
    }

    #[tokio::test]
    async fn splits_lines_and_keeps_the_last_unterminated_one() {
        assert_eq!(
            lines(b"one\r\ntwo\n\nlast", 100).await,
            [
                ("one".to_owned(), false),
                ("two".to_owned(), false),
                (String::new(), false),
                ("last".to_owned(), false)
            ]
        );
    }

    #[tokio::test]
    async fn cuts_long_lines_at_the_cap_and_drops_the_rest() {
        assert_eq!(
            lines(b"abcdefgh\nxy\n", 3).await,
            [("abc".to_owned(), true), ("xy".to_owned(), false)]
        );
    }

    /// A stream of `remaining` bytes of `x` with no newline, made up as it is read.
    struct Endless {
        remaining: usize,
    }

    impl AsyncRead for Endless {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            let n = buf.remaining().min(self.remaining);
            buf.put_slice(&vec![b'x'; n]);
            self.remaining -= n;
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn a_huge_line_never_grows_the_buffer_past_the_cap() {
        let mut reader = CappedLines::new(
            Endless {
                remaining: 64 * 1024 * 1024,
            },
            1024,
        );
        let first = reader.next_line().await.unwrap().unwrap();
        assert_eq!(first.text.len(), 1024);
        assert!(first.truncated);
        assert!(reader.line.capacity() <= 2 * 1024);
        assert_eq!(reader.next_line().await.unwrap(), None);
        assert!(reader.line.capacity() <= 2 * 1024);
    }
}
