use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::keymap::Binding;
use crate::ui::Theme;

/// The key bar: the bindings of the layer that receives keys now, as many as fit.
/// Room for the help key is kept first, so `?` is visible at any width it fits in.
pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let layer = app.layer();
    let shown: Vec<&Binding> = app.keymap.active(layer).into_iter().filter(|b| b.footer).collect();
    let own = app.keymap.bindings(layer);
    let (layer_keys, global_keys): (Vec<&Binding>, Vec<&Binding>) =
        shown.into_iter().partition(|b| own.iter().any(|o| std::ptr::eq(o, *b)));
    let width = area.width as usize;
    let reserved: usize = global_keys.iter().map(|b| item_width(b)).sum();
    let mut budget = width.saturating_sub(reserved);
    let mut spans: Vec<Span> = Vec::new();
    for b in layer_keys {
        let need = item_width(b);
        if need > budget {
            break;
        }
        budget -= need;
        push(&mut spans, b, theme);
    }
    if reserved <= width {
        for b in global_keys {
            push(&mut spans, b, theme);
        }
    }
    frame.render_widget(Line::from(spans), area);
}

fn item_width(b: &Binding) -> usize {
    b.keys[0].to_string().chars().count() + b.desc.chars().count() + 4
}

fn push<'a>(spans: &mut Vec<Span<'a>>, b: &Binding, theme: &Theme) {
    spans.push(Span::styled(format!(" {} ", b.keys[0]), theme.key));
    spans.push(Span::styled(format!(" {} ", b.desc), theme.key_desc));
}
