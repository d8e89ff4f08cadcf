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
    ".actions{display:flex;gap:1rem;align-items:center}\n";

void web_asset_css(struct http_request *req)
{
    http_reply(req, 200, "text/css; charset=utf-8", site_css, sizeof(site_css) - 1);
}
