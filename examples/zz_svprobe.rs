// TEMPORARY probe (to be removed).
use std::time::Instant;
fn hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .collect::<Vec<_>>()
        .join(" ")
}
fn main() {
    let mode = std::env::args().nth(1).unwrap();
    let chunk: usize = std::env::args().nth(2).map_or(1000, |s| s.parse().unwrap());
    let dir = tempfile::tempdir_in("/tmp").unwrap();
    let db =
        sled::Config::new().flush_every_ms(None).cache_capacity(64 << 20).path(dir.path().join("db")).open().unwrap();
    let tree = db.open_tree("records").unwrap();
    let val = vec![b'x'; std::env::var("VAL").map_or(650, |v| v.parse().unwrap())];
    let t = Instant::now();
    eprintln!("start {}", hwm());
    match mode.as_str() {
        "batch" => {
            let mut b = sled::Batch::default();
            for i in 0..100_000u64 {
                b.insert(format!("response/bench-30/{i:012}").as_bytes(), val.as_slice());
            }
            eprintln!("built {}", hwm());
            tree.apply_batch(b).unwrap();
        }
        "chunks" => {
            let mut b = sled::Batch::default();
            for i in 0..100_000u64 {
                b.insert(format!("response/bench-30/{i:012}").as_bytes(), val.as_slice());
                if (i as usize + 1) % chunk == 0 {
                    tree.apply_batch(std::mem::take(&mut b)).unwrap();
                }
            }
            tree.apply_batch(b).unwrap();
        }
        "single" => {
            for i in 0..100_000u64 {
                tree.insert(format!("response/bench-30/{i:012}").as_bytes(), val.as_slice()).unwrap();
            }
        }
        _ => panic!(),
    }
    eprintln!("applied {:?} {}", t.elapsed(), hwm());
    db.flush().unwrap();
    eprintln!("flushed {:?} {}", t.elapsed(), hwm());
}
