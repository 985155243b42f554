//! A response with its answers laid out by item index, read straight from a stored
//! response's JSON: what the tally of a large survey reads. Item ids are looked up,
//! never allocated, and there is no map to build — about half the work of decoding a
//! [`Response`] and laying it out.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::answer::{Answer, Response};
use super::spec::Survey;

/// A response to one survey with `answers[i]` the answer to item `i`. Answers to ids
/// the survey does not have are dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DenseResponse {
    pub respondent: Option<String>,
    pub pilot: Option<String>,
    pub round: Option<u32>,
    pub submitted: Option<String>,
    pub answers: Vec<Option<Answer>>,
}

/// Where each item's answer goes: item ids sorted, with their index in the survey.
#[derive(Debug, Clone)]
pub struct AnswerLayout<'s> {
    by_id: Vec<(&'s str, usize)>,
    width: usize,
}

impl<'s> AnswerLayout<'s> {
    pub fn new(survey: &'s Survey) -> Self {
        let mut by_id: Vec<(&str, usize)> =
            survey.items.iter().enumerate().map(|(i, it)| (it.id.as_str(), i)).collect();
        by_id.sort_unstable();
        AnswerLayout { by_id, width: survey.items.len() }
    }

    /// How many items the survey has.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The index of the item with this id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.binary_search_by(|(k, _)| (*k).cmp(id)).ok().map(|j| self.by_id[j].1)
    }

    /// `dense[i]` = the response's answer to item `i`. Both lists are sorted by id, so
    /// one merge pass replaces a lookup per answer.
    pub fn lay_out<'r>(&self, r: &'r Response, dense: &mut [Option<&'r Answer>]) {
        dense.fill(None);
        let by_id = &self.by_id;
        let mut j = 0;
        for (key, answer) in &r.answers {
            while j < by_id.len() && by_id[j].0 < key.as_str() {
                j += 1;
            }
            match by_id.get(j) {
                None => break,
                Some(&(id, i)) if id == key => {
                    dense[i] = Some(answer);
                    j += 1;
                }
                Some(_) => {}
            }
        }
    }

    /// `response` laid out.
    pub fn dense(&self, response: &Response) -> DenseResponse {
        let mut answers = vec![None; self.width];
        for (id, answer) in &response.answers {
            if let Some(i) = self.index(id) {
                answers[i] = Some(answer.clone());
            }
        }
        DenseResponse {
            respondent: response.respondent.clone(),
            pilot: response.pilot.clone(),
            round: response.round,
            submitted: response.submitted.clone(),
            answers,
        }
    }

    /// Deserialises a [`Response`]'s JSON (other fields ignored, as `Response` does)
    /// into a [`DenseResponse`].
    pub fn seed(&self) -> DenseSeed<'_, 's> {
        DenseSeed { layout: self }
    }
}

/// See [`AnswerLayout::seed`].
#[derive(Clone, Copy)]
pub struct DenseSeed<'l, 's> {
    layout: &'l AnswerLayout<'s>,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Respondent,
    Pilot,
    Round,
    Submitted,
    Answers,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for DenseSeed<'_, '_> {
    type Value = DenseResponse;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DenseResponse, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DenseSeed<'_, '_> {
    type Value = DenseResponse;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a survey response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DenseResponse, A::Error> {
        let mut r = DenseResponse { answers: vec![None; self.layout.width], ..DenseResponse::default() };
        let mut has_answers = false;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Respondent => r.respondent = map.next_value()?,
                Field::Pilot => r.pilot = map.next_value()?,
                Field::Round => r.round = map.next_value()?,
                Field::Submitted => r.submitted = map.next_value()?,
                Field::Answers => {
                    map.next_value_seed(AnswersSeed { layout: self.layout, answers: &mut r.answers })?;
                    has_answers = true;
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !has_answers {
            return Err(serde::de::Error::missing_field("answers"));
        }
        Ok(r)
    }
}

/// The `answers` map, each answer put in its item's slot.
struct AnswersSeed<'a, 'l, 's> {
    layout: &'l AnswerLayout<'s>,
    answers: &'a mut [Option<Answer>],
}

impl<'de> DeserializeSeed<'de> for AnswersSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswersSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("answers by item id")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Stored answers come sorted by id, like the layout: a cursor that moves
        // forward finds each in a comparison or two.
        let mut cursor = 0;
        while let Some(slot) = map.next_key_seed(SlotSeed { layout: self.layout, cursor: &mut cursor })? {
            match slot {
                Some(i) => self.answers[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// An item id read as its index, without allocating it.
struct SlotSeed<'c, 'l, 's> {
    layout: &'l AnswerLayout<'s>,
    /// Where in `layout.by_id` the previous id was found, plus one.
    cursor: &'c mut usize,
}

impl<'de> DeserializeSeed<'de> for SlotSeed<'_, '_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for SlotSeed<'_, '_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an item id")
    }

    fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<Option<usize>, E> {
        let by_id = &self.layout.by_id;
        let mut j = *self.cursor;
        while j < by_id.len() && by_id[j].0 < id {
            j += 1;
        }
        if let Some(&(key, i)) = by_id.get(j)
            && key == id
        {
            *self.cursor = j + 1;
            return Ok(Some(i));
        }
        // Unknown, or out of order (not written by oppi): look it up.
        Ok(self.layout.index(id))
    }
}
