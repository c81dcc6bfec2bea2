//! An SMTP sink for the integration tests: a real SMTP conversation on 127.0.0.1 that a test
//! can stop and start again on the same port.
// Each test uses only part of this helper, and the test binary would warn about the rest.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often the acceptor looks at the stop flag; it bounds the added latency of a connect.
const ACCEPT_POLL: Duration = Duration::from_millis(5);
/// How long `start_on` keeps retrying a port that is still in use.
const BIND_RETRY: Duration = Duration::from_secs(5);
const HOST: &str = "127.0.0.1";

/// A received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Reverse path of `MAIL FROM`, without angle brackets (empty for the null sender).
    pub from: String,
    /// Forward paths of every accepted `RCPT TO`, in order.
    pub to: Vec<String>,
    /// Raw message bytes: every line before the final `.` line, dot-unstuffed, CRLF kept.
    pub data: Vec<u8>,
}

impl Received {
    /// The message bytes as text (lossy), for assertions and debugging.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// An SMTP server on 127.0.0.1 that keeps what it receives.
pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    received: Mutex<Vec<Received>>,
    arrived: Condvar,
    fail_next: AtomicUsize,
    stopping: AtomicBool,
    connections: Mutex<Vec<(TcpStream, JoinHandle<()>)>>,
}

impl SmtpServer {
    /// Starts on a random free port.
    pub fn start() -> SmtpServer {
        SmtpServer::start_on(0)
    }

    /// Starts on the given port, retrying for a few seconds while it is still in use.
    pub fn start_on(port: u16) -> SmtpServer {
        let listener = bind(port);
        listener
            .set_nonblocking(true)
            .expect("SMTP listener non-blocking");
        let port = listener.local_addr().expect("SMTP listener address").port();
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            arrived: Condvar::new(),
            fail_next: AtomicUsize::new(0),
            stopping: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("smtp-accept-{port}"))
                .spawn(move || accept_loop(listener, &shared))
                .expect("spawn SMTP acceptor")
        };
        SmtpServer {
            port,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A snapshot of all messages received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }

    /// Blocks until at least `n` messages have arrived or `timeout` has passed; returns them all.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let mut received = lock(&self.shared.received);
        while received.len() < n {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            received = match self.shared.arrived.wait_timeout(received, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        received.clone()
    }

    /// Makes the next `n` DATA commands answer `451 4.3.0 try again later`.
    pub fn fail_next(&self, n: usize) {
        self.shared.fail_next.store(n, Ordering::SeqCst);
    }

    /// Closes the listener and every open connection; afterwards connects are refused.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // The acceptor owns the listener: once it has ended, the port is closed.
        let _ = acceptor.join();
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        for (stream, session) in connections {
            let _ = stream.shutdown(Shutdown::Both);
            let _ = session.join();
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn bind(port: u16) -> TcpListener {
    let deadline = Instant::now() + BIND_RETRY;
    loop {
        // std sets SO_REUSEADDR on Unix listeners, so TIME_WAIT alone does not block a rebind.
        match TcpListener::bind((HOST, port)) {
            Ok(listener) => return listener,
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("SMTP server cannot bind {HOST}:{port}: {e}"),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: TcpListener, shared: &Arc<Shared>) {
    while !shared.stopping.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => register(stream, shared),
            // WouldBlock, or a transient failure such as running out of descriptors.
            Err(_) => thread::sleep(ACCEPT_POLL),
        }
    }
}

fn register(stream: TcpStream, shared: &Arc<Shared>) {
    let Ok(handle) = stream.try_clone() else {
        return;
    };
    if stream.set_nonblocking(false).is_err() || stream.set_nodelay(true).is_err() {
        return;
    }
    let session = {
        let shared = Arc::clone(shared);
        thread::Builder::new()
            .name("smtp-session".into())
            .spawn(move || {
                // A client that disconnects mid-conversation just ends the session.
                let _ = Session::new(&shared).serve(stream);
            })
    };
    if let Ok(session) = session {
        let mut connections = lock(&shared.connections);
        connections.retain(|(_, session)| !session.is_finished());
        connections.push((handle, session));
    }
}

/// What a command leads to.
enum Step {
    Reply(String),
    /// Reply, then close the connection.
    Close(String),
    /// Answer 354 and read the message.
    Data,
}

/// One SMTP conversation (RFC 5321), with its current mail transaction.
struct Session<'a> {
    shared: &'a Shared,
    greeted: bool,
    from: Option<String>,
    to: Vec<String>,
}

impl<'a> Session<'a> {
    fn new(shared: &'a Shared) -> Self {
        Session {
            shared,
            greeted: false,
            from: None,
            to: Vec::new(),
        }
    }

    fn serve(mut self, stream: TcpStream) -> io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut out = stream;
        out.write_all(format!("220 {HOST} ESMTP test sink ready\r\n").as_bytes())?;
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            let command = String::from_utf8_lossy(&line);
            let (reply, close) = match self.respond(command.trim_end_matches(['\r', '\n'])) {
                Step::Reply(reply) => (reply, false),
                Step::Close(reply) => (reply, true),
                Step::Data => {
                    out.write_all(b"354 Start mail input; end with <CRLF>.<CRLF>\r\n")?;
                    (self.receive(&mut reader)?, false)
                }
            };
            // One write per reply: split writes meet Nagle and delayed ACKs, ~40 ms each.
            out.write_all(format!("{reply}\r\n").as_bytes())?;
            if close {
                return Ok(());
            }
        }
    }

    fn respond(&mut self, command: &str) -> Step {
        let (verb, arg) = command.split_once(' ').unwrap_or((command, ""));
        let reply = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => self.hello(format!(
                "250-{HOST} greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING"
            )),
            "HELO" => self.hello(format!("250 {HOST} greets {arg}")),
            "MAIL" => self.mail(arg),
            "RCPT" => self.rcpt(arg),
            "DATA" => return self.data_refusal().map_or(Step::Data, Step::Reply),
            "RSET" => {
                self.reset();
                "250 2.0.0 OK".to_owned()
            }
            "NOOP" => "250 2.0.0 OK".to_owned(),
            "VRFY" => "252 2.1.5 Cannot VRFY user, but will accept message".to_owned(),
            "QUIT" => return Step::Close("221 2.0.0 Bye".to_owned()),
            _ => "500 5.5.2 Command not recognized".to_owned(),
        };
        Step::Reply(reply)
    }

    fn reset(&mut self) {
        self.from = None;
        self.to.clear();
    }

    fn hello(&mut self, reply: String) -> String {
        self.reset();
        self.greeted = true;
        reply
    }

    fn mail(&mut self, arg: &str) -> String {
        if !self.greeted {
            return "503 5.5.1 Send EHLO or HELO first".to_owned();
        }
        if self.from.is_some() {
            return "503 5.5.1 Nested MAIL command".to_owned();
        }
        let Some((path, params)) = parse_path(arg, "FROM:") else {
            return "501 5.5.4 Syntax: MAIL FROM:<address>".to_owned();
        };
        let known = |p: &str| {
            let p = p.to_ascii_uppercase();
            p == "SMTPUTF8" || p == "BODY=8BITMIME" || p == "BODY=7BIT" || p.starts_with("SIZE=")
        };
        if let Some(unknown) = params.split_whitespace().find(|p| !known(p)) {
            return format!("555 5.5.4 Unsupported parameter {unknown}");
        }
        self.from = Some(path);
        "250 2.1.0 OK".to_owned()
    }

    fn rcpt(&mut self, arg: &str) -> String {
        if self.from.is_none() {
            return "503 5.5.1 Send MAIL first".to_owned();
        }
        match parse_path(arg, "TO:") {
            Some((path, params)) if !path.is_empty() && params.trim().is_empty() => {
                self.to.push(path);
                "250 2.1.5 OK".to_owned()
            }
            _ => "501 5.5.4 Syntax: RCPT TO:<address>".to_owned(),
        }
    }

    /// The reply that refuses a DATA command, if it must be refused.
    fn data_refusal(&mut self) -> Option<String> {
        if self.from.is_none() {
            return Some("503 5.5.1 Send MAIL first".to_owned());
        }
        if self.to.is_empty() {
            return Some("554 5.5.1 No valid recipients".to_owned());
        }
        let fail = self
            .shared
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if fail {
            self.reset();
            return Some("451 4.3.0 try again later".to_owned());
        }
        None
    }

    /// Reads the message up to `<CRLF>.<CRLF>`, stores it, and returns the final reply.
    fn receive(&mut self, reader: &mut impl BufRead) -> io::Result<String> {
        let mut data = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if line == b".\r\n" || line == b".\n" {
                break;
            }
            let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
            data.extend_from_slice(unstuffed);
        }
        let message = Received {
            from: self.from.take().unwrap_or_default(),
            to: std::mem::take(&mut self.to),
            data,
        };
        let mut received = lock(&self.shared.received);
        received.push(message);
        let queued = received.len();
        drop(received);
        self.shared.arrived.notify_all();
        Ok(format!("250 2.0.0 OK: queued as {queued}"))
    }
}

/// Splits `FROM:<path> params` (the prefix matched without regard to case) into path and params.
fn parse_path(arg: &str, prefix: &str) -> Option<(String, String)> {
    let head = arg.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = arg[prefix.len()..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let (path, params) = rest.split_once('>')?;
    Some((path.to_owned(), params.trim().to_owned()))
}
