use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::Context;

pub fn backup(ctx: &Context, file: &Path) -> anyhow::Result<()> {
    let text = ctx.store.backup_json()?;
    if file == Path::new("-") {
        std::io::stdout().write_all(text.as_bytes())?;
        return Ok(());
    }
    super::write_file(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
    eprintln!("backed up {} to {}", ctx.store.dir().display(), file.display());
    Ok(())
}

pub fn restore(ctx: &Context, file: &Path, replace: bool) -> anyhow::Result<()> {
    let text = if file == Path::new("-") {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let n = ctx
        .store
        .restore_json(&text, replace)
        .with_context(|| format!("{} was not restored; the store is unchanged", file.display()))?;
    eprintln!("restored {n} records into {}", ctx.store.dir().display());
    Ok(())
}

pub fn demo_init(ctx: &Context) -> anyhow::Result<()> {
    if !ctx.store.is_empty()? {
        bail!("store {} already holds an evaluation; demo init needs an empty store", ctx.store.dir().display());
    }
    crate::demo::write(&ctx.store, &ctx.user)?;
    eprintln!("wrote the demo evaluation into {}", ctx.store.dir().display());
    Ok(())
}

pub fn demo_generate(ctx: &Context, size: &str, seed: u64) -> anyhow::Result<()> {
    let size = crate::demo::synthetic::Size::named(size).map_err(anyhow::Error::msg)?;
    if !ctx.store.is_empty()? {
        bail!("store {} already holds an evaluation; demo generate needs an empty store", ctx.store.dir().display());
    }
    let w = crate::demo::synthetic::write(&ctx.store, &ctx.user, size, seed)?;
    eprintln!(
        "wrote {} pilots, {} interviews ({} coded segments), {} survey responses and {} workshops into {}",
        w.pilots,
        w.interviews,
        w.segments,
        w.responses,
        w.workshops,
        ctx.store.dir().display()
    );
    Ok(())
}
