//! What every benchmark shares: a fixed-seed generator, so that every run and every machine
//! measures the same input, and the peak-memory and CPU-time readings.
#![allow(dead_code)]

/// A small deterministic generator (xorshift), so runs are comparable.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// This process's peak resident memory, in MB (Linux; `None` elsewhere).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds (user + system) used so far by this process, all its threads included:
/// beside wall-clock time, the figure that other work on the machine barely moves.
pub fn own_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// CPU seconds (user + system) used so far by this process's waited-for children. Unlike
/// wall-clock time, it barely moves when other work shares the machine.
pub fn children_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// What one child process cost: wall-clock time, CPU time (user + system) and peak
/// resident memory.
pub struct ChildCost {
    pub wall_seconds: f64,
    pub cpu_seconds: f64,
    pub peak_mb: f64,
    pub exit_code: i32,
}

/// Runs `command` to its end and reads its cost from `wait4`, which gives the child's own
/// peak memory (`ru_maxrss`) rather than this process's.
// The child is reaped by `wait4`, not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub fn run_child(command: &mut std::process::Command) -> ChildCost {
    let started = std::time::Instant::now();
    let child = command.spawn().expect("the command starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child,
    // which `Child` has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let wall_seconds = started.elapsed().as_secs_f64();
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let exit_code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    ChildCost {
        wall_seconds,
        cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
        exit_code,
    }
}

/// The reqgap binary a benchmark runs: `$REQGAP_BIN`, else the one built beside the
/// benchmark (`target/<profile>/reqgap`).
pub fn reqgap_binary() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("REQGAP_BIN") {
        return std::path::PathBuf::from(path);
    }
    let examples = std::env::current_exe().expect("own path");
    let profile = examples
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/<profile>/examples");
    profile.join("reqgap")
}

/// The 1-, 5- and 15-minute load averages (Linux), which say how far other work on the
/// machine stretched the wall times.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}
