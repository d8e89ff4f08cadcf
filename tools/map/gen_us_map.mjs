#!/usr/bin/env node
// gen_us_map.mjs — regenerates src/views/us_map_data.c, the state shapes of
// the U.S. map on the catalog search page (src/views/us_map.c).
//
// A developer runs this by hand when the shapes should change; the build never
// does (the build may only use Debian packages, so the output is committed).
// See tools/map/README.md for the two commands. In short:
//
//   node tools/map/gen_us_map.mjs DEPS_DIR [OUTPUT]
//
// DEPS_DIR is a throwaway folder where `npm install` was run with
// tools/map/package.json (us-atlas and topojson-client, pinned exactly);
// OUTPUT defaults to src/views/us_map_data.c next to this script's repo.
//
// Input: us-atlas's states-albers-10m.json — TopoJSON, already projected with
// d3.geoAlbersUsa().scale(1300).translate([487.5, 305]) into a 975×610 box,
// Alaska and Hawaii as insets. Each state becomes one SVG path:
//   - coordinates rounded to whole pixels of the viewBox (DECIMALS below;
//     rounding is per point, so a border shared by two states rounds the same
//     on both sides and no gaps open up). At the map's size on the page
//     (≤ 60rem) this looks the same as 0.1 px and halves the page weight:
//     ~38 KB of path data instead of ~69 KB;
//   - consecutive duplicate points and points on a straight line between
//     their neighbours dropped (lossless after rounding);
//   - rings that collapse to fewer than 3 points dropped (specks of islands);
//   - written as "M x y" then relative "l dx dy" steps, numbers in the
//     shortest form SVG accepts ("-.5", separators only where needed).
// The output is deterministic: same input, same bytes.

import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const depsDir = process.argv[2];
const output = process.argv[3] ?? path.resolve(here, "../../src/views/us_map_data.c");
if (!depsDir) {
    console.error("usage: node gen_us_map.mjs DEPS_DIR [OUTPUT]   (see tools/map/README.md)");
    process.exit(2);
}

const require = createRequire(path.join(path.resolve(depsDir), "package.json"));
const topojson = require("topojson-client");
const atlasDir = path.dirname(require.resolve("us-atlas/package.json"));
const atlasVersion = require("us-atlas/package.json").version;
const clientVersion = require("topojson-client/package.json").version;
const topology = JSON.parse(readFileSync(path.join(atlasDir, "states-albers-10m.json"), "utf8"));

const VIEW_WIDTH = 975;
const VIEW_HEIGHT = 610;
const DECIMALS = 0;  // 0: whole pixels; 1: tenths
const SCALE = 10 ** DECIMALS;

// FIPS state code → USPS code, the 50 states and DC (territories are not in
// the Albers USA projection and not in the file).
const USPS = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
    "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
    "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
    "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
    "36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
    "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
    "54": "WV", "55": "WI", "56": "WY",
};

// A coordinate in steps of 1/SCALE px as the shortest SVG number; with
// tenths: 125 → "12.5", -5 → "-.5", 30 → "3".
function num(steps) {
    let s = (steps / SCALE).toFixed(DECIMALS);
    if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s.replace(/^(-?)0\./, "$1.");
}

// Appends numbers to a path string with a separator only where one is needed.
function joinNumbers(parts) {
    let s = "";
    let prevHasDot = false, prevIsCommand = true;
    for (const p of parts) {
        if (/^[A-Za-z]$/.test(p)) {
            s += p;
            prevIsCommand = true;
            continue;
        }
        const needsSep = !prevIsCommand && !p.startsWith("-") && !(p.startsWith(".") && prevHasDot);
        s += (needsSep ? " " : "") + p;
        prevHasDot = p.includes(".");
        prevIsCommand = false;
    }
    return s;
}

// One ring of [x, y] floats → rounded, simplified points (in steps), open ring.
function cleanRing(ring) {
    let pts = [];
    for (const [x, y] of ring) {
        const p = [Math.round(x * SCALE), Math.round(y * SCALE)];
        const last = pts[pts.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
    }
    if (pts.length > 1) {
        const a = pts[0], b = pts[pts.length - 1];
        if (a[0] === b[0] && a[1] === b[1]) pts.pop();
    }
    // Drop points that lie on the segment between their neighbours (cyclically),
    // repeating until nothing changes.
    let changed = true;
    while (changed && pts.length >= 3) {
        changed = false;
        const kept = [];
        for (let i = 0; i < pts.length; i++) {
            const prev = kept.length ? kept[kept.length - 1] : pts[pts.length - 1];
            const cur = pts[i], next = pts[(i + 1) % pts.length];
            const cross = (cur[0] - prev[0]) * (next[1] - cur[1]) - (cur[1] - prev[1]) * (next[0] - cur[0]);
            const dot = (cur[0] - prev[0]) * (next[0] - cur[0]) + (cur[1] - prev[1]) * (next[1] - cur[1]);
            const same = cur[0] === prev[0] && cur[1] === prev[1];
            if (same || (cross === 0 && dot > 0)) {
                changed = true;
                continue;
            }
            kept.push(cur);
        }
        pts = kept;
    }
    return pts.length >= 3 ? pts : null;
}

function ringPath(pts) {
    const parts = ["M", num(pts[0][0]), num(pts[0][1]), "l"];
    for (let i = 1; i < pts.length; i++) {
        parts.push(num(pts[i][0] - pts[i - 1][0]), num(pts[i][1] - pts[i - 1][1]));
    }
    parts.push("z");
    return joinNumbers(parts);
}

const states = [];
const collection = topojson.feature(topology, topology.objects.states);
for (const f of collection.features) {
    const code = USPS[f.id];
    if (!code) {
        console.error(`skipping ${f.id} ${f.properties.name}: not one of the 50 states + DC`);
        continue;
    }
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    let d = "";
    for (const polygon of polygons) {
        for (const ring of polygon) {
            const pts = cleanRing(ring);
            if (pts) d += ringPath(pts);
        }
    }
    if (!d.startsWith("M")) throw new Error(`${f.properties.name}: empty path`);
    states.push({ code, name: f.properties.name, d });
}
const codes = new Set(states.map((s) => s.code));
if (states.length !== 51 || codes.size !== 51) throw new Error(`expected 51 states + DC, got ${states.length}`);
states.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const cString = (s) => '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
// A long path as adjacent string literals, ~100 columns a line.
function cPath(d) {
    const lines = [];
    for (let i = 0; i < d.length; i += 96) lines.push("         " + cString(d.slice(i, i + 96)));
    return lines.join("\n");
}

let out = `/* us_map_data.c — GENERATED by tools/map/gen_us_map.mjs; do not edit by hand.
 * Regenerate with the two commands in tools/map/README.md.
 *
 * Shapes of the 50 U.S. states and the District of Columbia as SVG path data
 * for a ${VIEW_WIDTH}×${VIEW_HEIGHT} viewBox (Albers USA: Alaska and Hawaii as insets), used by
 * src/views/us_map.c. Source: states-albers-10m.json from the npm package
 * us-atlas ${atlasVersion}, decoded with topojson-client ${clientVersion}; coordinates rounded
 * to ${DECIMALS === 0 ? "whole pixels" : `${DECIMALS} decimal(s)`}, duplicate and collinear points dropped.
 *
 * Licence: the boundaries are derived from the U.S. Census Bureau's
 * cartographic boundary files (2017), a work of the U.S. Government and in the
 * public domain. us-atlas, which converted them to TopoJSON, is distributed
 * under the ISC licence:
 *
 *   Copyright 2013-2019 Michael Bostock
 *
 *   Permission to use, copy, modify, and/or distribute this software for any
 *   purpose with or without fee is hereby granted, provided that the above
 *   copyright notice and this permission notice appear in all copies.
 *
 *   THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 *   WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 *   MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY
 *   SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 *   WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 *   ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR
 *   IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE. */
#include "views/us_map.h"

const char us_map_viewbox[] = "0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}";

/* Sorted by name (the order a keyboard or screen-reader user meets them). */
const struct us_map_state us_map_states[] = {
`;
for (const s of states) {
    out += `    {${cString(s.code)}, ${cString(s.name)},\n${cPath(s.d)}},\n`;
}
out += `};

const size_t us_map_state_count = sizeof(us_map_states) / sizeof(us_map_states[0]);
`;

writeFileSync(output, out);
console.log(`wrote ${output}: ${states.length} shapes, ${out.length} bytes`);
