//! `generator --spec S --out D --timings`: one line per stage on stderr, the same output as
//! without the flag.

use std::path::Path;
use std::process::Command;

fn generate(spec: &Path, out: &Path, timings: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_generator"));
    cmd.arg("--spec").arg(spec).arg("--out").arg(out);
    if timings {
        cmd.arg("--timings");
    }
    let output = cmd.output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stderr).expect("UTF-8")
}

#[test]
fn timings_name_every_stage_and_leave_the_output_alone() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/nutanix.yaml");
    let dir = std::env::temp_dir().join(format!("generator-timings-{}", std::process::id()));
    let (plain, timed) = (dir.join("plain"), dir.join("timed"));

    assert!(!generate(&spec, &plain, false).contains("timing:"), "no timings without the flag");
    let stderr = generate(&spec, &timed, true);
    let lines: Vec<(&str, f64)> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("timing: "))
        .map(|rest| {
            let (stage, seconds) = rest.split_once(' ').expect("a stage and a time");
            (stage, seconds.strip_suffix(" s").expect("seconds").parse().expect("a number"))
        })
        .collect();
    let stages: Vec<&str> = lines.iter().map(|(s, _)| *s).collect();
    assert_eq!(stages, ["read", "load", "lower", "codegen", "render", "drop", "total"]);
    let sum: f64 = lines[..6].iter().map(|(_, t)| t).sum();
    let total = lines[6].1;
    assert!(total > 0.0 && (sum - total).abs() < 0.005, "{stderr}");

    let read = |dir: &Path| std::fs::read_to_string(dir.join("src/lib.rs")).expect("lib.rs");
    assert_eq!(read(&plain), read(&timed), "--timings changed the output");
    std::fs::remove_dir_all(&dir).ok();
}
