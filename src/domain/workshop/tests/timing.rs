//! Planned against actual time: pauses excluded, overrun shown (never blocking), and
//! time kept across back and next.

use super::{DISCUSS, VOTE, WRITE, at, fac, with_phases, workshop};
use crate::domain::workshop::{Clock, PhaseStatus, WorkshopCommand as C, format_countdown};

#[test]
fn elapsed_time_excludes_pauses() {
    let mut w = workshop(&with_phases(&[WRITE, VOTE]));
    assert_eq!(w.elapsed_secs(0, at(3, 0)), 0);
    assert_eq!(w.remaining_secs(0, at(3, 0)), 300);
    fac(&mut w, C::Start, at(0, 0));
    assert_eq!(w.elapsed_secs(0, at(1, 30)), 90);
    fac(&mut w, C::Pause, at(2, 0));
    assert_eq!(w.elapsed_secs(0, at(9, 0)), 120, "a pause stops the clock");
    fac(&mut w, C::Resume, at(10, 0));
    assert_eq!(w.elapsed_secs(0, at(11, 0)), 180);
    assert_eq!(w.remaining_secs(0, at(11, 0)), 120);
    assert_eq!(w.phases[0].clock.started_at, Some(at(0, 0)));
}

#[test]
fn overrun_is_a_negative_countdown_and_blocks_nothing() {
    let mut w = workshop(&with_phases(&[DISCUSS, WRITE]));
    fac(&mut w, C::Start, at(0, 0));
    assert_eq!(w.remaining_secs(0, at(7, 5)), -125);
    assert_eq!(format_countdown(w.remaining_secs(0, at(7, 5))), "-02:05");
    fac(&mut w, C::Note { text: "still talking".into() }, at(7, 5));
    fac(&mut w, C::Next, at(8, 0));
    let agenda = w.agenda(at(9, 0));
    assert_eq!((agenda[0].planned_secs, agenda[0].elapsed_secs, agenda[0].remaining_secs), (300, 480, -180));
    assert_eq!((agenda[1].elapsed_secs, agenda[1].current, agenda[1].status), (60, true, PhaseStatus::Running));
    assert_eq!(w.total_secs(at(9, 0)), (600, 540));
}

#[test]
fn back_and_next_keep_each_phase_s_time() {
    let mut w = workshop(&with_phases(&[DISCUSS, WRITE, VOTE]));
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(4, 0)); // discuss ran 4 min
    fac(&mut w, C::Back, at(6, 0)); // write ran 2 min, paused
    fac(&mut w, C::Next, at(7, 0)); // discuss ran 1 more min
    fac(&mut w, C::Next, at(10, 0)); // write ran 3 more min
    let agenda = w.agenda(at(12, 0));
    let elapsed: Vec<i64> = agenda.iter().map(|r| r.elapsed_secs).collect();
    assert_eq!(elapsed, [300, 300, 120]);
}

#[test]
fn undoing_a_next_gives_the_time_back_to_the_phase_that_kept_running() {
    let mut w = workshop(&with_phases(&[DISCUSS, WRITE]));
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(4, 0));
    fac(&mut w, C::Undo, at(4, 30)); // pressed n by mistake
    assert_eq!(w.elapsed_secs(0, at(5, 0)), 300);
    assert_eq!(w.elapsed_secs(1, at(5, 0)), 0);
}

#[test]
fn a_clock_that_goes_backwards_takes_no_time_away() {
    let mut clock = Clock::default();
    clock.start(at(10, 0));
    assert_eq!(clock.elapsed_secs(at(9, 0)), 0);
    clock.stop(at(9, 0));
    assert_eq!(clock.banked_secs, 0);
    clock.start(at(20, 0));
    clock.start(at(21, 0)); // a second start does not restart the run
    assert_eq!(clock.elapsed_secs(at(22, 0)), 120);
}

#[test]
fn countdowns_read_naturally() {
    assert_eq!(format_countdown(372), "06:12");
    assert_eq!(format_countdown(0), "00:00");
    assert_eq!(format_countdown(-5), "-00:05");
    assert_eq!(format_countdown(3720), "1:02:00");
}
