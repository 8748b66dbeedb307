//! The audit report as one self-contained HTML page: inline CSS, inline SVG charts drawn
//! here from the summary, a few lines of inline script for the drill-down's search and sort.
//! Nothing is fetched at view time (the page's Content-Security-Policy forbids it), and the
//! same summary gives the same bytes.

use std::fmt::Write as _;

use escalint::summary::{Counts, Dimension, Distribution, Row, Summary, NONE_KEY, OTHER_KEY};

use crate::commands::report::Page;

/// HTML-escape text (also for attribute values).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap_or_default()).collect();
    groups.join(",")
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn pct(rate: f64) -> String {
    format!("{:.1}%", 100.0 * rate)
}

/// Markers and dash patterns of the trend's series: told apart by shape and line, not only
/// by colour.
const SERIES_STYLE: [(&str, &str, &str); 6] = [
    ("#1b4f8a", "", "circle"),
    ("#b3541e", "6 3", "square"),
    ("#2e7d32", "2 3", "triangle"),
    ("#6a1b9a", "8 3 2 3", "diamond"),
    ("#455a64", "1 2", "cross"),
    ("#8d6e00", "10 4", "circle"),
];

fn marker(shape: &str, x: f64, y: f64, colour: &str) -> String {
    match shape {
        "square" => format!(r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{colour}"/>"#, x - 3.5, y - 3.5),
        "triangle" => format!(
            r#"<path d="M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}"/>"#,
            x,
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
        "diamond" => format!(
            r#"<path d="M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}"/>"#,
            x,
            y - 4.5,
            x + 4.5,
            y,
            x,
            y + 4.5,
            x - 4.5,
            y
        ),
        "cross" => format!(
            r#"<path d="M{:.1} {:.1}l7 7M{:.1} {:.1}l7 -7" stroke="{colour}" stroke-width="2"/>"#,
            x - 3.5,
            y - 3.5,
            x - 3.5,
            y + 3.5
        ),
        _ => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{colour}"/>"#),
    }
}

/// A chart's figure: the SVG with its title and description, a caption, and the table that
/// holds its numbers.
fn figure(out: &mut String, id: &str, caption: &str, description: &str, svg_body: &str, view: (u32, u32), table: &str) {
    let _ = write!(
        out,
        r#"<figure class="chart" id="chart-{id}" data-chart="{id}"><div class="scroll"><svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{caption}</title><desc id="{id}-desc">{description}</desc>{svg_body}</svg></div><figcaption>{caption}</figcaption>{table}</figure>"#,
        w = view.0,
        h = view.1,
        caption = esc(caption),
        description = esc(description),
    );
}

/// Horizontal bars, one per row: a label, a bar for `value` (0..=max), and a note.
fn hbars(rows: &[(String, f64, String)], max: f64, axis: &str) -> (String, (u32, u32)) {
    let (label_w, bar_w, note_w, row_h) = (230.0, 420.0, 170.0, 22.0);
    let height = 30.0 + row_h * rows.len() as f64 + 30.0;
    let width = label_w + bar_w + note_w;
    let mut svg = String::new();
    let max = if max <= 0.0 { 1.0 } else { max };
    for (i, (label, value, note)) in rows.iter().enumerate() {
        let y = 20.0 + row_h * i as f64;
        let w = (value / max).clamp(0.0, 1.0) * bar_w;
        let shown: String =
            if label.chars().count() > 34 { label.chars().take(33).collect::<String>() + "…" } else { label.clone() };
        let _ = write!(
            svg,
            r##"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end" class="lbl">{l}</text><rect x="{label_w}" y="{y:.1}" width="{w:.1}" height="{bh:.1}" class="bar"><title>{full}: {n}</title></rect><text x="{nx:.1}" y="{ty:.1}" class="note">{n}</text>"##,
            lx = label_w - 6.0,
            ty = y + 14.0,
            l = esc(&shown),
            bh = row_h - 6.0,
            full = esc(label),
            nx = label_w + w + 5.0,
            n = esc(note),
        );
    }
    let axis_y = 20.0 + row_h * rows.len() as f64 + 4.0;
    let _ = write!(
        svg,
        r#"<line x1="{label_w}" y1="14" x2="{label_w}" y2="{axis_y:.1}" class="axis"/><line x1="{label_w}" y1="{axis_y:.1}" x2="{x2:.1}" y2="{axis_y:.1}" class="axis"/><text x="{mid:.1}" y="{ly:.1}" text-anchor="middle" class="axislabel">{axis}</text>"#,
        x2 = label_w + bar_w,
        mid = label_w + bar_w / 2.0,
        ly = axis_y + 20.0,
        axis = esc(axis),
    );
    (svg, (width as u32, height as u32))
}

/// Columns over categories (periods, buckets), with labelled axes.
fn columns(
    labels: &[String],
    values: &[f64],
    y_axis: &str,
    x_axis: &str,
    format: fn(f64) -> String,
) -> (String, (u32, u32)) {
    let (left, top, plot_h, bottom) = (60.0, 20.0, 220.0, 90.0);
    // Columns share the plot's width (a wider plot, not wider columns, for long periods).
    let step = (760.0 / labels.len().max(1) as f64).max(6.0);
    let plot_w = step * labels.len().max(1) as f64;
    let width = left + plot_w + 20.0;
    let max = values.iter().cloned().fold(0.0, f64::max);
    let max = if max <= 0.0 { 1.0 } else { max };
    let mut svg = String::new();
    let every = (labels.len() / 16).max(1);
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let h = value / max * plot_h;
        let x = left + step * i as f64;
        let _ = write!(
            svg,
            r#"<rect x="{bx:.1}" y="{by:.1}" width="{bw:.1}" height="{h:.1}" class="bar"><title>{l}: {v}</title></rect>"#,
            bx = x + step * 0.15,
            by = top + plot_h - h,
            bw = step * 0.7,
            l = esc(label),
            v = format(*value),
        );
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text transform="translate({tx:.1} {ty:.1}) rotate(-45)" text-anchor="end" class="tick">{l}</text>"#,
                tx = x + step / 2.0,
                ty = top + plot_h + 14.0,
                l = esc(label),
            );
        }
    }
    axes(&mut svg, left, top, plot_w, plot_h, max, y_axis, x_axis, format, bottom);
    (svg, (width as u32, (top + plot_h + bottom + 10.0) as u32))
}

#[allow(clippy::too_many_arguments)]
fn axes(
    svg: &mut String,
    left: f64,
    top: f64,
    plot_w: f64,
    plot_h: f64,
    max: f64,
    y_axis: &str,
    x_axis: &str,
    format: fn(f64) -> String,
    bottom: f64,
) {
    for tick in 0..=4 {
        let v = max * tick as f64 / 4.0;
        let y = top + plot_h - plot_h * tick as f64 / 4.0;
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" class="grid"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="end" class="tick">{v}</text>"#,
            x2 = left + plot_w,
            tx = left - 5.0,
            ty = y + 4.0,
            v = format(v),
        );
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{top}" x2="{left}" y2="{b:.1}" class="axis"/><line x1="{left}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}" class="axis"/><text transform="translate(14 {my:.1}) rotate(-90)" text-anchor="middle" class="axislabel">{y_axis}</text><text x="{mx:.1}" y="{xy:.1}" text-anchor="middle" class="axislabel">{x_axis}</text>"#,
        b = top + plot_h,
        r = left + plot_w,
        my = top + plot_h / 2.0,
        mx = left + plot_w / 2.0,
        xy = top + plot_h + bottom,
        y_axis = esc(y_axis),
        x_axis = esc(x_axis),
    );
}

/// Lines over periods, one per series, each with its own marker and dash; a legend.
fn lines(periods: &[String], series: &[(String, Vec<Option<f64>>)], y_axis: &str) -> (String, (u32, u32)) {
    let (left, top, plot_h, bottom) = (60.0, 20.0, 220.0, 90.0);
    let step = (760.0 / periods.len().max(1) as f64).max(6.0);
    let plot_w = step * periods.len().max(1) as f64;
    let legend_h = 20.0 * series.len() as f64;
    let width = left + plot_w + 20.0;
    let max = series.iter().flat_map(|(_, v)| v.iter().flatten()).cloned().fold(0.0, f64::max);
    let max = if max <= 0.0 { 1.0 } else { (max * 10.0).ceil() / 10.0 };
    let mut svg = String::new();
    let every = (periods.len() / 16).max(1);
    for (i, p) in periods.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text transform="translate({tx:.1} {ty:.1}) rotate(-45)" text-anchor="end" class="tick">{p}</text>"#,
                tx = left + step * (i as f64 + 0.5),
                ty = top + plot_h + 14.0,
                p = esc(p),
            );
        }
    }
    axes(&mut svg, left, top, plot_w, plot_h, max, y_axis, "month of the local opening date", pct, bottom);
    for (s, (name, values)) in series.iter().enumerate() {
        let (colour, dash, shape) = SERIES_STYLE[s % SERIES_STYLE.len()];
        let mut path = String::new();
        let mut marks = String::new();
        let mut pen_down = false;
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else {
                pen_down = false;
                continue;
            };
            let x = left + step * (i as f64 + 0.5);
            let y = top + plot_h - v / max * plot_h;
            let _ = write!(path, "{}{x:.1} {y:.1}", if pen_down { "L" } else { "M" });
            pen_down = true;
            marks.push_str(&marker(shape, x, y, colour));
        }
        let _ = write!(
            svg,
            r#"<g class="series"><title>{n}</title><path d="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>{marks}</g>"#,
            n = esc(name),
        );
        let ly = top + plot_h + bottom + 12.0 + 20.0 * s as f64;
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{ly:.1}" x2="{x2:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>{m}<text x="{tx:.1}" y="{ty:.1}" class="lbl">{n}</text>"#,
            x2 = left + 36.0,
            m = marker(shape, left + 18.0, ly, colour),
            tx = left + 44.0,
            ty = ly + 4.0,
            n = esc(name),
        );
    }
    (svg, (width as u32, (top + plot_h + bottom + 20.0 + legend_h) as u32))
}

fn count_f(v: f64) -> String {
    thousands(v.round() as u64)
}

const STYLE: &str = r#"
:root{--ink:#1d2329;--muted:#56606b;--line:#c9d1d9;--accent:#1b4f8a;--bad:#a33b1c;--bg:#fff;--band:#f3f6f9}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg);margin:0}
main{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
p.meta{color:var(--muted);margin:.2rem 0}
nav ul{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;list-style:none;margin:.8rem 0}
a{color:var(--accent)}
dl.headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem;margin:1rem 0}
dl.headline div{background:var(--band);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem}
dl.headline dt{color:var(--muted);font-size:.85rem}dl.headline dd{margin:0;font-size:1.5rem;font-weight:600}
dl.headline dd small{font-size:.85rem;font-weight:400;color:var(--muted)}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem;min-width:50%}
caption{text-align:left;font-weight:600;padding:.2rem 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:.25rem .55rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
thead th{background:var(--band)}
figure.chart{margin:1rem 0 1.5rem;break-inside:avoid}
figure.chart svg{width:100%;max-width:56rem;min-width:34rem;height:auto;display:block}
td.rules,td.id{white-space:nowrap}
figcaption{font-weight:600;margin:.2rem 0}
svg .bar{fill:var(--accent)}svg .lbl,svg .note,svg .tick{font-size:12px;fill:var(--ink)}
svg .axislabel{font-size:12px;fill:var(--muted)}svg .axis{stroke:var(--ink)}svg .grid{stroke:var(--line);stroke-dasharray:2 3}
.sev-error{color:var(--bad);font-weight:600}.sev-error::before{content:"✖ "}.sev-warning::before{content:"▲ "}
.rule-text{border-top:1px solid var(--line);padding:.4rem 0}.rule-text blockquote{margin:.3rem 0 .3rem 1rem;color:var(--muted)}
.rule-text:target{background:#fff6d6}
#drill-search{font:inherit;padding:.35rem .5rem;width:min(28rem,100%);border:1px solid var(--muted);border-radius:4px}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:40rem){body{font-size:14px}main{padding:.6rem}dl.headline dd{font-size:1.2rem}}
@media print{
 @page{margin:14mm}
 body{font-size:10.5pt}main{max-width:none;padding:0}nav,#drill-controls{display:none}
 h2{break-after:avoid}table,figure{break-inside:auto}tr{break-inside:avoid}
 .scroll{overflow:visible}a{color:inherit;text-decoration:none}
 figure.chart svg{max-width:100%}
}
"#;

/// Search (a case-insensitive substring of a row) and sort (click a header; numbers by value)
/// for the drill-down table.
const SCRIPT: &str = r#"
(function(){
  var table=document.getElementById('drill');if(!table)return;
  var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
  var search=document.getElementById('drill-search'),count=document.getElementById('drill-count');
  function show(){var q=search.value.toLowerCase(),n=0;rows.forEach(function(r){var hit=r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!hit;if(hit)n++;});count.textContent=n+' of '+rows.length+' findings shown';}
  search.addEventListener('input',show);
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    var b=th.querySelector('button');if(!b)return;
    b.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var num=th.classList.contains('n');
      // A row with fewer cells (a case's "… and N more findings") sorts as empty there.
      function key(r){var c=r.cells[i];return c?(c.getAttribute('data-sort')||c.textContent):'';}
      rows.sort(function(a,b){var x=key(a),y=key(b);
        var c=num?((parseFloat(x)||0)-(parseFloat(y)||0)):x.localeCompare(y);return asc?c:-c;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  show();
})();
"#;

fn breakdown_title(d: Dimension) -> (&'static str, &'static str) {
    match d {
        Dimension::Servicer => ("Per servicer", "servicer (name, else A number)"),
        Dimension::Region => ("Per Market Manager region", "Market Manager region"),
        Dimension::Closer => ("Per closer role", "closer role"),
        Dimension::Responsibility => ("Per final responsibility", "final responsibility party"),
        Dimension::Reason => ("Per closing reason", "closing reason"),
        Dimension::Procedure => ("Per procedure", "procedure"),
        Dimension::Month => ("Per month", "month"),
        Dimension::Week => ("Per week", "ISO week"),
        Dimension::Rule => ("Per rule", "rule"),
    }
}

fn rules_cell(row: &Row) -> String {
    row.top_rules
        .iter()
        .map(|t| format!(r##"<a href="#rule-{r}">{r}</a>&nbsp;{n}"##, r = esc(t.rule), n = thousands(t.count)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn counts_table(caption: &str, first: &str, rows: &[Row]) -> String {
    let mut t = format!(
        r#"<div class="scroll"><table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col" class="n">cases</th><th scope="col" class="n">with errors</th><th scope="col" class="n">warnings only</th><th scope="col" class="n">error rate</th><th scope="col">most frequent rules (findings)</th></tr></thead><tbody>"#,
        esc(caption),
        esc(first)
    );
    for r in rows {
        let _ = write!(
            t,
            r#"<tr data-key="{k}" data-cases="{c}" data-with-errors="{e}"><th scope="row">{k}</th><td class="n">{cs}</td><td class="n">{es}</td><td class="n">{w}</td><td class="n">{rate}</td><td class="rules">{rules}</td></tr>"#,
            k = esc(&r.key),
            c = r.counts.cases,
            e = r.counts.with_errors,
            cs = thousands(r.counts.cases),
            es = thousands(r.counts.with_errors),
            w = thousands(r.counts.warnings_only),
            rate = pct(r.error_rate),
            rules = rules_cell(r),
        );
    }
    t.push_str("</tbody></table></div>");
    t
}

/// The page.
pub fn render(summary: &Summary, page: &Page<'_>) -> String {
    let totals: &Counts = summary.totals();
    let cases = totals.cases;
    let valid = summary.valid();
    let mut out = String::with_capacity(256 << 10);
    out.push_str(r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"><title>escalint audit report</title><style>"#);
    out.push_str(STYLE);
    out.push_str("</style></head><body><main>");

    // Headline.
    let period = summary
        .period()
        .map(|(a, b)| format!("{a} to {b} (local opening dates)"))
        .unwrap_or_else(|| "no opening dates".into());
    let versions: Vec<String> =
        summary.policy_versions().iter().map(|(v, n)| format!("{} ({} cases)", esc(v), thousands(*n))).collect();
    let _ = write!(
        out,
        r#"<header><h1>Escalation audit</h1><p class="meta">Inputs: {inputs}</p><p class="meta" data-metric="period">Period: {period}</p><p class="meta">Policy versions used: <span data-metric="policy-versions">{versions}</span></p><p class="meta">Judged {when} by escalint {version}.</p>"#,
        inputs = inputs_text(&page.inputs),
        period = esc(&period),
        versions = if versions.is_empty() { "none".into() } else { versions.join(", ") },
        when = match page.now {
            Some(now) => format!("as of {}", esc(now)),
            None => "at each closed case's closing time, open cases at the time of the run".into(),
        },
        version = escalint::VERSION,
    );
    if !page.not_run.is_empty() {
        // Absent findings of rules that did not run are not a clean bill: say so up front.
        let _ = write!(
            out,
            r#"<p class="meta" data-metric="not-run">Rules not run (the selection in effect: --select, --ignore or the config file): {}</p>"#,
            esc(&page.not_run.join(", ")),
        );
    }
    out.push_str("</header>");
    out.push_str(r##"<nav aria-label="Sections"><ul><li><a href="#headline">Headline</a></li><li><a href="#trend">Trend</a></li><li><a href="#rules">Rules</a></li><li><a href="#breakdowns">Servicers, regions, closers</a></li><li><a href="#timeliness">Timeliness</a></li><li><a href="#drill-down">Worst cases</a></li><li><a href="#catalogue">Rule texts</a></li></ul></nav>"##);
    let errors = totals.with_errors;
    let warnings = totals.warnings_only;
    let _ = write!(
        out,
        r#"<section id="headline" aria-labelledby="h-headline"><h2 id="h-headline">Headline</h2><dl class="headline"><div><dt>Cases</dt><dd data-metric="cases" data-value="{cases}">{c}</dd></div><div><dt>Valid (no error)</dt><dd data-metric="valid" data-value="{valid}">{v} <small>{vp}</small></dd></div><div><dt>With errors</dt><dd data-metric="with-errors" data-value="{errors}">{e} <small>{ep}</small></dd></div><div><dt>Warnings only</dt><dd data-metric="warnings-only" data-value="{warnings}">{w} <small>{wp}</small></dd></div><div><dt>Findings</dt><dd data-metric="findings" data-value="{f}">{fs}</dd></div></dl>"#,
        c = thousands(cases),
        v = thousands(valid),
        vp = pct(share(valid, cases)),
        e = thousands(errors),
        ep = pct(share(errors, cases)),
        w = thousands(warnings),
        wp = pct(share(warnings, cases)),
        f = totals.violations,
        fs = thousands(totals.violations),
    );
    let procedures = summary.table(Dimension::Procedure, usize::MAX);
    out.push_str(&counts_table("Per procedure", "procedure", &procedures.rows));
    out.push_str("</section>");

    // Trend.
    out.push_str(r#"<section id="trend" aria-labelledby="h-trend"><h2 id="h-trend">Trend</h2>"#);
    let trend = summary.trend();
    let mut months: Vec<String> =
        trend.iter().map(|t| t.0.clone()).filter(|m| m != NONE_KEY && m != OTHER_KEY).collect();
    months.dedup();
    let mut procs: Vec<String> =
        trend.iter().filter(|t| t.0 != NONE_KEY).map(|t| t.1.clone()).filter(|p| p != OTHER_KEY).collect();
    procs.sort();
    procs.dedup();
    let month_table = summary.table(Dimension::Month, usize::MAX);
    let by_month = |m: &str| month_table.rows.iter().find(|r| r.key == m).map(|r| r.counts.clone()).unwrap_or_default();
    let mut series: Vec<(String, Vec<Option<f64>>)> =
        vec![("all procedures".into(), months.iter().map(|m| Some(by_month(m).error_rate())).collect())];
    for p in &procs {
        let values =
            months.iter().map(|m| trend.iter().find(|t| &t.0 == m && &t.1 == p).map(|t| t.2.error_rate())).collect();
        series.push((p.clone(), values));
    }
    let mut trend_table = String::from(
        r#"<details><summary>Table: per month and procedure</summary><div class="scroll"><table><caption>Per month and procedure</caption><thead><tr><th scope="col">month</th><th scope="col">procedure</th><th scope="col" class="n">cases</th><th scope="col" class="n">with errors</th><th scope="col" class="n">error rate</th><th scope="col" class="n">findings</th></tr></thead><tbody>"#,
    );
    for (m, p, c) in &trend {
        let _ = write!(
            trend_table,
            r#"<tr><th scope="row">{}</th><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
            esc(m),
            esc(p),
            thousands(c.cases),
            thousands(c.with_errors),
            pct(c.error_rate()),
            thousands(c.violations)
        );
    }
    trend_table.push_str("</tbody></table></div></details>");
    let (svg, view) = lines(&months, &series, "cases with errors");
    figure(
        &mut out,
        "trend-error-rate",
        "Error rate per month, by procedure",
        "Share of cases with at least one error, per month of the local opening date; one line for all procedures and one per procedure, each with its own marker and dash pattern.",
        &svg,
        view,
        &trend_table,
    );
    let violations: Vec<f64> = months.iter().map(|m| by_month(m).violations as f64).collect();
    let (svg, view) = columns(&months, &violations, "findings", "month of the local opening date", count_f);
    let mut month_rows = String::new();
    month_rows.push_str(&counts_table("Per month", "month", &month_table.rows));
    figure(
        &mut out,
        "trend-violations",
        "Findings per month",
        "Findings (errors and warnings) per month of the local opening date.",
        &svg,
        view,
        &month_rows,
    );
    let weeks = summary.table(Dimension::Week, usize::MAX);
    let _ = write!(
        out,
        "<details><summary>Per ISO week ({} weeks)</summary>{}</details></section>",
        weeks.rows.len(),
        counts_table("Per week", "ISO week", &weeks.rows)
    );

    // Rules.
    out.push_str(r#"<section id="rules" aria-labelledby="h-rules"><h2 id="h-rules">Rules</h2>"#);
    let findings = totals.top_rules(usize::MAX);
    let rule_rows = summary.table(Dimension::Rule, usize::MAX).rows;
    let bars: Vec<(String, f64, String)> = rule_rows
        .iter()
        .take(page.top)
        .map(|r| (r.key.clone(), r.error_rate, format!("{} ({} cases)", pct(r.error_rate), thousands(r.counts.cases))))
        .collect();
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let mut rule_table = String::from(
        r#"<div class="scroll"><table id="rule-table"><caption>Per rule, most cases first</caption><thead><tr><th scope="col">rule</th><th scope="col">severity</th><th scope="col">title</th><th scope="col">SOP</th><th scope="col" class="n">cases</th><th scope="col" class="n">of all cases</th><th scope="col" class="n">findings</th></tr></thead><tbody>"#,
    );
    let mut by_cases = rule_rows.clone();
    by_cases.sort_by(|a, b| b.counts.cases.cmp(&a.counts.cases).then(a.key.cmp(&b.key)));
    for r in &by_cases {
        let info = escalint::catalogue::find(&r.key);
        let n = findings.iter().find(|(id, _)| *id == r.key).map(|f| f.1).unwrap_or(0);
        let severity = info.map(|i| i.severity.as_str()).unwrap_or("");
        let _ = write!(
            rule_table,
            r##"<tr data-rule="{k}" data-cases="{c}" data-findings="{n}"><th scope="row"><a href="#rule-{k}">{k}</a></th><td class="sev-{sev}">{sev}</td><td>{title}</td><td>{sop}</td><td class="n">{cs}</td><td class="n">{rate}</td><td class="n">{ns}</td></tr>"##,
            k = esc(&r.key),
            c = r.counts.cases,
            sev = severity,
            title = esc(info.map(|i| i.title).unwrap_or("")),
            sop = esc(info.map(|i| i.sop).unwrap_or("")),
            cs = thousands(r.counts.cases),
            rate = pct(r.error_rate),
            ns = thousands(n),
        );
    }
    rule_table.push_str("</tbody></table></div>");
    let mut chart_rows = bars;
    chart_rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (svg, view) = hbars(&chart_rows, max, "share of all cases breaking the rule");
    figure(
        &mut out,
        "rules",
        "Cases breaking each rule",
        "For the rules broken by most cases: the share of all cases that break the rule at least once.",
        &svg,
        view,
        &rule_table,
    );
    out.push_str("</section>");

    // Breakdowns.
    out.push_str(r#"<section id="breakdowns" aria-labelledby="h-breakdowns"><h2 id="h-breakdowns">Servicers, regions, closers, responsibility and reasons</h2><p>Rates with their denominators, worst first. The keys with most cases are listed; the rest are counted together as "(other)".</p>"#);
    for d in [Dimension::Servicer, Dimension::Region, Dimension::Closer, Dimension::Responsibility, Dimension::Reason] {
        let table = summary.table(d, page.top);
        let (title, noun) = breakdown_title(d);
        let rows: Vec<(String, f64, String)> = table
            .rows
            .iter()
            .map(|r| {
                (
                    r.key.clone(),
                    r.error_rate,
                    format!(
                        "{} ({} of {})",
                        pct(r.error_rate),
                        thousands(r.counts.with_errors),
                        thousands(r.counts.cases)
                    ),
                )
            })
            .collect();
        let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
        let (svg, view) = hbars(&rows, max, "cases with errors (of the cases shown)");
        let note = match table.distinct_keys {
            Some(n) => format!("{n} distinct values"),
            None => "more distinct values than tracked; the rest are in (other)".into(),
        };
        let _ = write!(out, r#"<h3 id="by-{}">{} <small>({})</small></h3>"#, d.name(), title, esc(&note));
        figure(
            &mut out,
            &format!("by-{}", d.name()),
            &format!("Error rate per {noun}"),
            &format!("Share of cases with errors per {noun}, worst first, with the cases behind each rate."),
            &svg,
            view,
            &counts_table(title, noun, &table.rows),
        );
    }
    out.push_str("</section>");

    // Timeliness.
    out.push_str(r#"<section id="timeliness" aria-labelledby="h-timeliness"><h2 id="h-timeliness">Timeliness</h2>"#);
    for (id, title, description, dist, axis) in [
        (
            "first-touch",
            "Time to first touch",
            "Cases by the time from opening to the first agent action (call, email, note, update, …).",
            summary.first_touch(),
            "time from opening to the first agent action",
        ),
        (
            "longest-gap",
            "Longest gap without an action",
            "Cases by the longest stretch without an agent action between opening and closing (or the last event of an open case).",
            summary.longest_gap(),
            "longest stretch without an agent action",
        ),
    ] {
        let (svg, view) = distribution_chart(dist, axis);
        figure(&mut out, id, title, description, &svg, view, &distribution_table(title, dist));
    }
    out.push_str("</section>");

    // Drill-down.
    let worst = summary.worst_cases();
    let _ = write!(
        out,
        r#"<section id="drill-down" aria-labelledby="h-drill"><h2 id="h-drill">Worst cases</h2><p>The {} cases with most errors (then most findings), with their findings. Search filters the rows; a column header sorts by it.</p><div id="drill-controls"><label for="drill-search">Search the findings </label><input id="drill-search" type="search" placeholder="case id, rule, text…"> <span id="drill-count" aria-live="polite"></span></div><div class="scroll"><table id="drill"><caption class="visually-hidden">Findings of the worst cases</caption><thead><tr><th scope="col"><button type="button">case</button></th><th scope="col"><button type="button">where</button></th><th scope="col"><button type="button">procedure</button></th><th scope="col" class="n"><button type="button">errors</button></th><th scope="col"><button type="button">rule</button></th><th scope="col"><button type="button">severity</button></th><th scope="col"><button type="button">path</button></th><th scope="col"><button type="button">message</button></th><th scope="col"><button type="button">hint</button></th></tr></thead><tbody>"#,
        worst.len()
    );
    for w in &worst {
        for f in &w.findings {
            let _ = write!(
                out,
                r##"<tr><td class="id">{id}</td><td data-sort="{src}:{line:09}">{src}:{line}</td><td>{p}</td><td class="n" data-sort="{e}">{e}</td><td><a href="#rule-{r}">{r}</a></td><td class="sev-{s}">{s}</td><td><code>{path}</code></td><td>{m}</td><td>{h}</td></tr>"##,
                id = esc(if w.id.is_empty() { "(no id)" } else { &w.id }),
                src = esc(&w.source),
                line = w.line,
                p = esc(w.procedure.unwrap_or("")),
                e = w.errors,
                r = esc(f.rule),
                s = f.severity.as_str(),
                path = esc(&f.path),
                m = esc(&f.message),
                h = esc(f.hint.as_deref().unwrap_or("")),
            );
        }
        if w.findings_left_out > 0 {
            let _ = write!(
                out,
                r#"<tr><td class="id">{id}</td><td data-sort="{src}:{line:09}">{src}:{line}</td><td>{p}</td><td class="n" data-sort="{e}">{e}</td><td colspan="5">… and {n} more findings</td></tr>"#,
                id = esc(if w.id.is_empty() { "(no id)" } else { &w.id }),
                src = esc(&w.source),
                line = w.line,
                p = esc(w.procedure.unwrap_or("")),
                e = w.errors,
                n = w.findings_left_out
            );
        }
    }
    out.push_str("</tbody></table></div></section>");

    // The catalogue text every rule link points to.
    out.push_str(r#"<section id="catalogue" aria-labelledby="h-catalogue"><h2 id="h-catalogue">Rule texts</h2><p>Every rule, its source in the procedures and how escalint reads it.</p>"#);
    for r in escalint::catalogue::all() {
        let _ = write!(
            out,
            r#"<div class="rule-text" id="rule-{id}"><h3>{id} <span class="sev-{sev}">{sev}</span> — {title}</h3><p class="meta">Source: {sop}</p><blockquote>{source}</blockquote><p>{explanation}</p></div>"#,
            id = esc(r.id),
            sev = r.severity.as_str(),
            title = esc(r.title),
            sop = esc(r.sop),
            source = esc(r.source),
            explanation = esc(r.explanation),
        );
    }
    out.push_str("</section></main><script>");
    out.push_str(SCRIPT);
    out.push_str("</script></body></html>\n");
    out
}

/// The inputs: listed when few, else counted with the first ones named.
fn inputs_text(inputs: &[String]) -> String {
    if inputs.len() <= 4 {
        return esc(&inputs.join(", "));
    }
    let items: String = inputs.iter().map(|i| format!("<li>{}</li>", esc(i))).collect();
    format!(
        "{} files ({}, …)<details><summary>every input</summary><ul>{items}</ul></details>",
        inputs.len(),
        esc(&inputs[..2].join(", "))
    )
}

fn distribution_chart(dist: &Distribution, axis: &str) -> (String, (u32, u32)) {
    let labels: Vec<String> = dist.buckets.iter().map(|b| b.0.to_string()).collect();
    let values: Vec<f64> = dist.buckets.iter().map(|b| b.1 as f64).collect();
    columns(&labels, &values, "cases", axis, count_f)
}

fn distribution_table(caption: &str, dist: &Distribution) -> String {
    let total: u64 = dist.buckets.iter().map(|b| b.1).sum();
    let mut t = format!(
        r#"<div class="scroll"><table><caption>{}</caption><thead><tr><th scope="col">time</th><th scope="col" class="n">cases</th><th scope="col" class="n">share</th></tr></thead><tbody>"#,
        esc(caption)
    );
    for (label, n) in &dist.buckets {
        let _ = write!(
            t,
            r#"<tr><th scope="row">{}</th><td class="n">{}</td><td class="n">{}</td></tr>"#,
            esc(label),
            thousands(*n),
            pct(share(*n, total))
        );
    }
    let _ = write!(
        t,
        r#"<tr><th scope="row">no value (no opening time or no agent action)</th><td class="n">{}</td><td class="n"></td></tr></tbody></table></div>"#,
        thousands(dist.missing)
    );
    t
}
