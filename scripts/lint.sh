#!/usr/bin/env bash
# lint.sh — `make lint`: the banned-function check, layering, the function-length
# gate, cppcheck and clang-tidy.
# Exits non-zero when any of them finds something.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
FUNCTION_MAX=120

echo "== banned functions (STYLE.md)"
if grep -rnE '(^|[^_[:alnum:]])(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|atoll|sscanf|gets)[[:space:]]*\(' \
        src tests --include='*.c' --include='*.h'; then
    echo "banned functions found (use snprintf, buf_*, strtol…)"
    status=1
fi

echo "== layering (only src/http includes h2o, only the store backends include sqlite3.h / libpq-fe.h)"
if grep -rlE '#include[[:space:]]*[<"](h2o\.h|h2o/)' src | grep -v '^src/http/'; then status=1; fi
if grep -rlE '#include[[:space:]]*[<"]sqlite3\.h' src | grep -v '^src/store/sqlite/'; then status=1; fi
if grep -rlE '#include[[:space:]]*[<"](postgresql/)?libpq-fe\.h' src | grep -v '^src/store/pg/'; then status=1; fi

echo "== function length (at most $FUNCTION_MAX body lines; split along load → view model → render)"
# A function body runs from a "{" alone at column 0 to the next "}" at column 0
# (the house style); its name is the identifier before "(" on the signature.
# Over the limit fails, unless the function is in FUNCTION_ALLOW ("file:name"),
# which is for code being split elsewhere and must stay short (at most 5).
FUNCTION_ALLOW=(
)
if [ "${#FUNCTION_ALLOW[@]}" -gt 5 ]; then
    echo "the function-length allow-list has ${#FUNCTION_ALLOW[@]} entries; at most 5"
    status=1
fi
long=$(find src -name '*.c' -print0 | sort -z | xargs -0 awk -v max="$FUNCTION_MAX" '
    FNR == 1 { sig = ""; open = 0 }
    /^[A-Za-z_].*\(/ && !open { sig = $0 }
    /^\{[[:space:]]*$/ && !open && sig != "" { open = 1; start = FNR; next }
    /^\}/ && open {
        name = sig; sub(/\(.*/, "", name); n = split(name, parts, /[^A-Za-z0-9_]+/)
        name = parts[n]
        if (FNR - start - 1 > max) print FILENAME ":" name " " (FNR - start - 1)
        open = 0; sig = ""
    }')
while read -r where lines; do
    [ -n "$where" ] || continue
    allowed=0
    for a in "${FUNCTION_ALLOW[@]}"; do [ "$a" = "$where" ] && allowed=1; done
    if [ "$allowed" -eq 0 ]; then
        echo "$where: $lines lines"
        status=1
    fi
done <<<"$long"

CFLAGS="-std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -Ibuild/gen $(pkg-config --cflags libpq jansson libsodium 2>/dev/null)"

echo "== cppcheck"
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance --inline-suppr \
    --suppress=missingIncludeSystem -Isrc src || status=1

echo "== clang-tidy"
checks='-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,cert-err34-c,clang-analyzer-*,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-bugprone-narrowing-conversions,-bugprone-implicit-widening-of-multiplication-result'
tidy_out=$(find src -name '*.c' -print0 | xargs -0 -P 2 -I{} clang-tidy --quiet --checks="$checks" {} -- $CFLAGS 2>/dev/null)
# Only findings located in our own files count: the analyzer cannot follow
# h2o's intrusive lists and reports false positives inside h2o/linklist.h.
if printf '%s\n' "$tidy_out" | grep -qE '^[^ ]*/src/[^ ]*: (warning|error):'; then
    printf '%s\n' "$tidy_out"
    status=1
fi

[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
