// TEMPORARY probe (to be removed).
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let db = sled::Config::new().cache_capacity(64 << 20).path(format!("{dir}/db")).open().unwrap();
    let tree = db.open_tree("records").unwrap();
    eprintln!("open {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    let mut bytes = 0;
    for kv in tree.scan_prefix("response/bench-30/") {
        let (_k, v) = kv.unwrap();
        n += 1;
        bytes += v.len();
    }
    eprintln!("raw scan {n} {bytes} {:?}", t.elapsed());
    let t = Instant::now();
    for kv in tree.scan_prefix("response/bench-30/") {
        let (_k, v) = kv.unwrap();
        let x: serde_json::Value = serde_json::from_slice(&v).unwrap();
        std::hint::black_box(x);
    }
    eprintln!("to Value {:?}", t.elapsed());
    #[derive(serde::Deserialize)]
    struct Env {
        #[allow(dead_code)]
        v: u32,
        data: oppi::domain::survey::Response,
    }
    let t = Instant::now();
    for kv in tree.scan_prefix("response/bench-30/") {
        let (_k, v) = kv.unwrap();
        let x: Env = serde_json::from_slice(&v).unwrap();
        std::hint::black_box(x.data);
    }
    eprintln!("direct Response {:?}", t.elapsed());
    #[derive(serde::Deserialize)]
    struct Key {
        respondent: Option<String>,
        round: Option<u32>,
    }
    #[derive(serde::Deserialize)]
    struct EnvK {
        #[allow(dead_code)]
        v: u32,
        data: Key,
    }
    let t = Instant::now();
    for kv in tree.scan_prefix("response/bench-30/") {
        let (_k, v) = kv.unwrap();
        let x: EnvK = serde_json::from_slice(&v).unwrap();
        std::hint::black_box((x.data.respondent, x.data.round));
    }
    eprintln!("key only {:?}", t.elapsed());
    probe2(&tree);
    let (_k, v) = tree.scan_prefix("response/bench-30/").next().unwrap().unwrap();
    eprintln!("{}", String::from_utf8_lossy(&v));
}
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum AB<'a> {
    Scale(i64),
    DontKnow,
    Choice(#[serde(borrow)] std::borrow::Cow<'a, str>),
    Other(#[serde(borrow)] std::borrow::Cow<'a, str>),
    Multi(#[serde(borrow)] Vec<PB<'a>>),
    Number(f64),
    Text(#[serde(borrow)] std::borrow::Cow<'a, str>),
}
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum PB<'a> {
    Choice(#[serde(borrow)] std::borrow::Cow<'a, str>),
    Other(#[serde(borrow)] std::borrow::Cow<'a, str>),
}
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct RB<'a> {
    #[serde(borrow)]
    respondent: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    pilot: Option<std::borrow::Cow<'a, str>>,
    round: Option<u32>,
    #[serde(borrow)]
    submitted: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    answers: Vec<(&'a str, AB<'a>)>,
}
pub fn probe2(tree: &sled::Tree) {
    #[derive(serde::Deserialize)]
    struct Env<'a> {
        #[allow(dead_code)]
        v: u32,
        #[serde(borrow)]
        data: RBm<'a>,
    }
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct RBm<'a> {
        #[serde(borrow)]
        respondent: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        pilot: Option<std::borrow::Cow<'a, str>>,
        round: Option<u32>,
        #[serde(borrow)]
        submitted: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow)]
        answers: std::collections::BTreeMap<&'a str, AB<'a>>,
    }
    let t = Instant::now();
    for kv in tree.scan_prefix("response/bench-30/") {
        let (_k, v) = kv.unwrap();
        let x: Env = serde_json::from_slice(&v).unwrap();
        std::hint::black_box(&x.data);
    }
    eprintln!("borrowed {:?}", t.elapsed());
}
