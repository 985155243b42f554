use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = vec![
        Line::from(""),
        Line::styled("  Welcome to oppi", theme.title),
        Line::from(""),
        Line::styled(
            "  A workbench for developmental evaluations: pilots, impact logic, learning objectives, \
             interviews, surveys, workshops and the synthesis report, in one place.",
            theme.text,
        ),
        Line::from(""),
        Line::styled("  This store has no evaluation yet. To start:", theme.text),
        Line::from(""),
        Line::from(vec![
            Span::styled("   n ", theme.key),
            Span::styled("  create an evaluation here (title, commissioner, main question)", theme.text),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("   oppi --demo ", theme.key),
            Span::styled("  explore a realistic demo portfolio on a throwaway copy", theme.text),
        ]),
        Line::from(""),
        Line::styled(format!("  Store: {}", app.location), theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
