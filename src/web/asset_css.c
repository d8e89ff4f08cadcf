/* asset_css.c — GET /assets/site.css: the one stylesheet (small, no fonts to
 * download, readable on a slow connection; WCAG AA contrast). */
#include <string.h>

#include "web/web.h"

static const char site_css[] =
    ":root{--ink:#1b2430;--muted:#4a5566;--line:#d6dce4;--bg:#f6f8fa;--card:#fff;--brand:#0b5cad;"
    "--brand-ink:#fff;--bad:#a4161a;--good:#1d6b34}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);"
    "background:var(--bg)}\n"
    "a{color:var(--brand)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2a900;"
    "outline-offset:2px}\n"
    ".skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}\n"
    ".top{background:var(--card);border-bottom:1px solid var(--line)}\n"
    ".top nav{max-width:64rem;margin:0 auto;display:flex;align-items:center;justify-content:space-between;"
    "padding:.75rem 1rem}\n"
    ".top ul{list-style:none;display:flex;gap:1.25rem;margin:0;padding:0;align-items:center}\n"
    ".brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--ink)}\n"
    "main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem}\n"
    ".foot{max-width:64rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.9rem}\n"
    ".card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1.25rem 1.5rem;"
    "margin-bottom:1.25rem}\n"
    ".narrow{max-width:28rem;margin-left:auto;margin-right:auto}\n"
    ".hero{padding:1.5rem 0}.hero h1{font-size:2rem;line-height:1.2;margin:0 0 .75rem}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem}\n"
    ".stack .field{display:flex;flex-direction:column;margin-bottom:1rem}\n"
    ".field label{font-weight:600;margin-bottom:.25rem}.field small{color:var(--muted);margin-bottom:.25rem}\n"
    "input,select{font:inherit;padding:.5rem .6rem;border:1px solid #8a94a3;border-radius:6px;background:#fff}\n"
    "input[aria-invalid=true]{border-color:var(--bad)}\n"
    ".field-error{color:var(--bad);font-size:.9rem;margin-top:.25rem}\n"
    "button,.button{font:inherit;font-weight:600;background:var(--brand);color:var(--brand-ink);border:0;"
    "border-radius:6px;padding:.6rem 1.1rem;cursor:pointer;text-decoration:none;display:inline-block}\n"
    "button.link{background:none;color:var(--brand);padding:0;font-weight:400;text-decoration:underline}\n"
    "form.inline{display:inline;margin:0}\n"
    ".notice{padding:.6rem .8rem;border-radius:6px;background:#e7f1e9;color:var(--good)}\n"
    ".notice.error{background:#fbe9ea;color:var(--bad)}\n"
    ".facts{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.25rem}.facts dt{font-weight:600}"
    ".facts dd{margin:0}.facts ul{margin:0;padding-left:1.1rem}\n"
    ".actions{display:flex;gap:1rem;align-items:center}\n"
    /* the U.S. map of the search page (src/views/us_map.c) */
    ".usmap{margin:1rem 0}\n"
    ".usmap svg{display:block;width:100%;height:auto;max-width:60rem}\n"
    ".usmap svg a,.usmap svg g{stroke:#fff;stroke-width:.75;stroke-linejoin:round}\n"
    ".usmap path{vector-effect:non-scaling-stroke}\n"
    ".usmap .map-0,.map-legend .map-0{fill:#dde2e8;background:#dde2e8}\n"
    ".usmap .map-1,.map-legend .map-1{fill:#a9cbea;background:#a9cbea}\n"
    ".usmap .map-2,.map-legend .map-2{fill:#5f9fd8;background:#5f9fd8}\n"
    ".usmap .map-3,.map-legend .map-3{fill:#2b6fb5;background:#2b6fb5}\n"
    ".usmap .map-4,.map-legend .map-4{fill:#0b3f7a;background:#0b3f7a}\n"
    ".usmap svg a:hover{stroke:#1b2430;stroke-width:1.5}\n"
    ".usmap svg a:focus{outline:none;fill:#f2a900;stroke:#1b2430;stroke-width:1.5}\n"
    ".usmap .map-selected-halo{fill:none;stroke:#fff;stroke-width:5;pointer-events:none}\n"
    ".usmap .map-selected-outline{fill:none;stroke:#1b2430;stroke-width:2;pointer-events:none}\n"
    ".map-legend{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;font-size:.9rem;color:var(--muted)}\n"
    ".map-legend-title{font-weight:600;color:var(--ink)}\n"
    ".map-legend ul{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:0;padding:0}\n"
    ".map-legend li{display:flex;align-items:center;gap:.35rem}\n"
    ".map-swatch{display:inline-block;width:1rem;height:1rem;border:1px solid #8a94a3;border-radius:2px}\n"
    ".map-selected-swatch{background:#fff;border:2px solid #1b2430;box-shadow:0 0 0 2px #fff inset}\n";

void web_asset_css(struct http_request *req)
{
    http_reply(req, 200, "text/css; charset=utf-8", site_css, sizeof(site_css) - 1);
}
