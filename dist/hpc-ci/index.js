#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 5:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.formatNames = exports.fastFormats = exports.fullFormats = void 0;
function fmtDef(validate, compare) {
    return { validate, compare };
}
exports.fullFormats = {
    // date: http://tools.ietf.org/html/rfc3339#section-5.6
    date: fmtDef(date, compareDate),
    // date-time: http://tools.ietf.org/html/rfc3339#section-5.6
    time: fmtDef(getTime(true), compareTime),
    "date-time": fmtDef(getDateTime(true), compareDateTime),
    "iso-time": fmtDef(getTime(), compareIsoTime),
    "iso-date-time": fmtDef(getDateTime(), compareIsoDateTime),
    // duration: https://tools.ietf.org/html/rfc3339#appendix-A
    duration: /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$/,
    uri,
    "uri-reference": /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i,
    // uri-template: https://tools.ietf.org/html/rfc6570
    "uri-template": /^(?:(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$/i,
    // For the source: https://gist.github.com/dperini/729294
    // For test cases: https://mathiasbynens.be/demo/url-regex
    url: /^(?:https?|ftp):\/\/(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))|(?:(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)(?:\.(?:[a-z0-9\u{00a1}-\u{ffff}]+-)*[a-z0-9\u{00a1}-\u{ffff}]+)*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,})))(?::\d{2,5})?(?:\/[^\s]*)?$/iu,
    email: /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
    hostname: /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i,
    // optimized https://www.safaribooksonline.com/library/view/regular-expressions-cookbook/9780596802837/ch07s16.html
    ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
    ipv6: /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i,
    regex,
    // uuid: http://tools.ietf.org/html/rfc4122
    uuid: /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
    // JSON-pointer: https://tools.ietf.org/html/rfc6901
    // uri fragment: https://tools.ietf.org/html/rfc3986#appendix-A
    "json-pointer": /^(?:\/(?:[^~/]|~0|~1)*)*$/,
    "json-pointer-uri-fragment": /^#(?:\/(?:[a-z0-9_\-.!$&'()*+,;:=@]|%[0-9a-f]{2}|~0|~1)*)*$/i,
    // relative JSON-pointer: http://tools.ietf.org/html/draft-luff-relative-json-pointer-00
    "relative-json-pointer": /^(?:0|[1-9][0-9]*)(?:#|(?:\/(?:[^~/]|~0|~1)*)*)$/,
    // the following formats are used by the openapi specification: https://spec.openapis.org/oas/v3.0.0#data-types
    // byte: https://github.com/miguelmota/is-base64
    byte,
    // signed 32 bit integer
    int32: { type: "number", validate: validateInt32 },
    // signed 64 bit integer
    int64: { type: "number", validate: validateInt64 },
    // C-type float
    float: { type: "number", validate: validateNumber },
    // C-type double
    double: { type: "number", validate: validateNumber },
    // hint to the UI to hide input strings
    password: true,
    // unchecked string payload
    binary: true,
};
exports.fastFormats = {
    ...exports.fullFormats,
    date: fmtDef(/^\d\d\d\d-[0-1]\d-[0-3]\d$/, compareDate),
    time: fmtDef(/^(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i, compareTime),
    "date-time": fmtDef(/^\d\d\d\d-[0-1]\d-[0-3]\dt(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i, compareDateTime),
    "iso-time": fmtDef(/^(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$/i, compareIsoTime),
    "iso-date-time": fmtDef(/^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$/i, compareIsoDateTime),
    // uri: https://github.com/mafintosh/is-my-json-valid/blob/master/formats.js
    uri: /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/)?[^\s]*$/i,
    "uri-reference": /^(?:(?:[a-z][a-z0-9+\-.]*:)?\/?\/)?(?:[^\\\s#][^\s#]*)?(?:#[^\\\s]*)?$/i,
    // email (sources from jsen validator):
    // http://stackoverflow.com/questions/201323/using-a-regular-expression-to-validate-an-email-address#answer-8829363
    // http://www.w3.org/TR/html5/forms.html#valid-e-mail-address (search for 'wilful violation')
    email: /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i,
};
exports.formatNames = Object.keys(exports.fullFormats);
function isLeapYear(year) {
    // https://tools.ietf.org/html/rfc3339#appendix-C
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function date(str) {
    // full-date from http://tools.ietf.org/html/rfc3339#section-5.6
    const matches = DATE.exec(str);
    if (!matches)
        return false;
    const year = +matches[1];
    const month = +matches[2];
    const day = +matches[3];
    return (month >= 1 &&
        month <= 12 &&
        day >= 1 &&
        day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]));
}
function compareDate(d1, d2) {
    if (!(d1 && d2))
        return undefined;
    if (d1 > d2)
        return 1;
    if (d1 < d2)
        return -1;
    return 0;
}
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
function getTime(strictTimeZone) {
    return function time(str) {
        const matches = TIME.exec(str);
        if (!matches)
            return false;
        const hr = +matches[1];
        const min = +matches[2];
        const sec = +matches[3];
        const tz = matches[4];
        const tzSign = matches[5] === "-" ? -1 : 1;
        const tzH = +(matches[6] || 0);
        const tzM = +(matches[7] || 0);
        if (tzH > 23 || tzM > 59 || (strictTimeZone && !tz))
            return false;
        if (hr <= 23 && min <= 59 && sec < 60)
            return true;
        // leap second
        const utcMin = min - tzM * tzSign;
        const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
        return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
    };
}
function compareTime(s1, s2) {
    if (!(s1 && s2))
        return undefined;
    const t1 = new Date("2020-01-01T" + s1).valueOf();
    const t2 = new Date("2020-01-01T" + s2).valueOf();
    if (!(t1 && t2))
        return undefined;
    return t1 - t2;
}
function compareIsoTime(t1, t2) {
    if (!(t1 && t2))
        return undefined;
    const a1 = TIME.exec(t1);
    const a2 = TIME.exec(t2);
    if (!(a1 && a2))
        return undefined;
    t1 = a1[1] + a1[2] + a1[3];
    t2 = a2[1] + a2[2] + a2[3];
    if (t1 > t2)
        return 1;
    if (t1 < t2)
        return -1;
    return 0;
}
const DATE_TIME_SEPARATOR = /t|\s/i;
function getDateTime(strictTimeZone) {
    const time = getTime(strictTimeZone);
    return function date_time(str) {
        // http://tools.ietf.org/html/rfc3339#section-5.6
        const dateTime = str.split(DATE_TIME_SEPARATOR);
        return dateTime.length === 2 && date(dateTime[0]) && time(dateTime[1]);
    };
}
function compareDateTime(dt1, dt2) {
    if (!(dt1 && dt2))
        return undefined;
    const d1 = new Date(dt1).valueOf();
    const d2 = new Date(dt2).valueOf();
    if (!(d1 && d2))
        return undefined;
    return d1 - d2;
}
function compareIsoDateTime(dt1, dt2) {
    if (!(dt1 && dt2))
        return undefined;
    const [d1, t1] = dt1.split(DATE_TIME_SEPARATOR);
    const [d2, t2] = dt2.split(DATE_TIME_SEPARATOR);
    const res = compareDate(d1, d2);
    if (res === undefined)
        return undefined;
    return res || compareTime(t1, t2);
}
const NOT_URI_FRAGMENT = /\/|:/;
const URI = /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;
function uri(str) {
    // http://jmrware.com/articles/2009/uri_regexp/URI_regex.html + optional protocol + required "."
    return NOT_URI_FRAGMENT.test(str) && URI.test(str);
}
const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/gm;
function byte(str) {
    BYTE.lastIndex = 0;
    return BYTE.test(str);
}
const MIN_INT32 = -(2 ** 31);
const MAX_INT32 = 2 ** 31 - 1;
function validateInt32(value) {
    return Number.isInteger(value) && value <= MAX_INT32 && value >= MIN_INT32;
}
function validateInt64(value) {
    // JSON and javascript max Int is 2**53, so any int that passes isInteger is valid for Int64
    return Number.isInteger(value);
}
function validateNumber() {
    return true;
}
const Z_ANCHOR = /[^\\]\\Z/;
function regex(str) {
    if (Z_ANCHOR.test(str))
        return false;
    try {
        new RegExp(str);
        return true;
    }
    catch (e) {
        return false;
    }
}
//# sourceMappingURL=formats.js.map

/***/ }),

/***/ 908:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
// https://mathiasbynens.be/notes/javascript-encoding
// https://github.com/bestiejs/punycode.js - punycode.ucs2.decode
function ucs2length(str) {
    const len = str.length;
    let length = 0;
    let pos = 0;
    let value;
    while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 0xd800 && value <= 0xdbff && pos < len) {
            // high surrogate, and there is a next character
            value = str.charCodeAt(pos);
            if ((value & 0xfc00) === 0xdc00)
                pos++; // low surrogate
        }
    }
    return length;
}
exports["default"] = ucs2length;
ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
//# sourceMappingURL=ucs2length.js.map

/***/ }),

/***/ 479:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(802);

process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .main */ .iW)(process.argv.slice(2));

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 802:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  iW: () => (/* binding */ main)
});

// UNUSED EXPORTS: EXIT, report

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./.build/src/contract/errors.js
function formatContractError(e) {
    return `${e.file}${e.pointer ? ` at ${e.pointer}` : ""}: ${e.reason}`;
}
/** Thrown when a document cannot be used at all; carries every reason found. */
class InvalidDocumentError extends Error {
    errors;
    constructor(errors) {
        super(errors.map(formatContractError).join("\n"));
        this.errors = errors;
        this.name = "InvalidDocumentError";
    }
}
function escapePointerToken(token) {
    return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./.build/src/contract/json.js
// Parsing of untrusted JSON documents from the cluster: size-limited, BOM-tolerant, and
// refusing keys that could reach an object's prototype when merged.


const MAX_DOCUMENT_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(["__proto__"]);
/**
 * Parses `text` as the JSON document `file`; throws InvalidDocumentError with the reasons. `maxBytes`:
 * a larger limit for a document that is bounded otherwise (the benchmark history).
 */
function parseDocument(text, file, maxBytes = MAX_DOCUMENT_BYTES) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (Buffer.byteLength(body, "utf8") > maxBytes) {
        throw new InvalidDocumentError([
            { file, pointer: "", reason: `document is over the ${maxBytes} byte limit` },
        ]);
    }
    if (body.trim() === "")
        throw new InvalidDocumentError([{ file, pointer: "", reason: "document is empty" }]);
    let value;
    try {
        value = JSON.parse(body);
    }
    catch (error) {
        throw new InvalidDocumentError([
            { file, pointer: "", reason: `not valid JSON (${jsonErrorReason(error, body)})` },
        ]);
    }
    const problems = checkStructure(value, file);
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    return value;
}
/** Reads and parses a document without ever holding more than the size limit in memory. */
async function readDocument(path, file, maxBytes = MAX_DOCUMENT_BYTES) {
    const handle = await (0,promises_namespaceObject.open)(path, "r");
    try {
        const { size } = await handle.stat();
        if (size > maxBytes + 3) {
            throw new InvalidDocumentError([
                { file, pointer: "", reason: `document is ${size} bytes, over the ${maxBytes} byte limit` },
            ]);
        }
        const bytes = await handle.readFile();
        return parseDocument(bytes.toString("utf8"), file, maxBytes);
    }
    finally {
        await handle.close();
    }
}
function jsonErrorReason(error, body) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    if (!at)
        return message.includes("end of JSON") ? "it ends early: truncated?" : message.slice(0, 200);
    const offset = Number(at[1]);
    if (offset >= body.trimEnd().length)
        return "it ends early: truncated?";
    const before = body.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
}
// Iterative walk: a hostile document may nest deeper than the call stack allows.
function checkStructure(root, file) {
    const problems = [];
    const stack = [
        { value: root, pointer: "", depth: 0 },
    ];
    while (stack.length > 0 && problems.length < 20) {
        const { value, pointer, depth } = stack.pop();
        if (value === null || typeof value !== "object")
            continue;
        if (depth > MAX_DEPTH) {
            problems.push({ file, pointer, reason: `nested deeper than ${MAX_DEPTH} levels` });
            continue;
        }
        for (const [key, child] of Object.entries(value)) {
            const childPointer = `${pointer}/${escapePointerToken(key)}`;
            if (FORBIDDEN_KEYS.has(key)) {
                problems.push({ file, pointer: childPointer, reason: `key "${key}" is not allowed` });
                continue;
            }
            stack.push({ value: child, pointer: childPointer, depth: depth + 1 });
        }
    }
    return problems;
}

// EXTERNAL MODULE: ../../main/node_modules/ajv/dist/runtime/ucs2length.js
var ucs2length = __nccwpck_require__(908);
var ucs2length_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(ucs2length, 2);
// EXTERNAL MODULE: ../../main/node_modules/ajv-formats/dist/formats.js
var formats = __nccwpck_require__(5);
var formats_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(formats, 2);
;// CONCATENATED MODULE: ./.build/src/contract/validators.generated.js
// Generated by scripts/compile-schemas.mjs from schemas/*.schema.json. Do not edit.


const __cjs = (ns) => (ns.default && typeof ns.default === "object" ? ns.default : ns);
const validateHpcResults = validate20;
const schema31 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/hpc-results.schema.json", "title": "hpc-results.json, schema_version 1", "description": "One HPC CI run of one commit. Mycelia's ci/hpc/run_hpc_ci.sh shape, plus optional fields. Unknown keys are kept.", "type": "object", "required": ["schema_version", "commit"], "properties": { "schema_version": { "const": 1 }, "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "branch": { "$ref": "defs.schema.json#/$defs/text" }, "tag": { "type": ["string", "null"], "maxLength": 4096 }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "generated_by": { "$ref": "defs.schema.json#/$defs/text" }, "repository": { "$ref": "defs.schema.json#/$defs/text" }, "hpc": { "type": "object", "properties": { "cluster": { "$ref": "defs.schema.json#/$defs/text" }, "job_id": { "$ref": "defs.schema.json#/$defs/text" }, "node": { "$ref": "defs.schema.json#/$defs/text" }, "julia_version": { "$ref": "defs.schema.json#/$defs/text" }, "scheduler": { "enum": ["slurm", "pbs", "lsf", "flux", "gitlab", "local"] }, "partition": { "$ref": "defs.schema.json#/$defs/text" }, "account": { "$ref": "defs.schema.json#/$defs/text" }, "nodes": { "$ref": "defs.schema.json#/$defs/count" }, "cpus": { "$ref": "defs.schema.json#/$defs/count" }, "walltime_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "time_limit_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "pipeline_id": { "$ref": "defs.schema.json#/$defs/text" }, "runtime_versions": { "type": "object", "propertyNames": { "$ref": "defs.schema.json#/$defs/name" }, "additionalProperties": { "$ref": "defs.schema.json#/$defs/text" } }, "cpu_model": { "$ref": "defs.schema.json#/$defs/text" }, "threads": { "$ref": "defs.schema.json#/$defs/count" }, "os": { "$ref": "defs.schema.json#/$defs/text" }, "arch": { "$ref": "defs.schema.json#/$defs/text" } } }, "coverage": { "type": ["object", "null"], "required": ["coverage_percent"], "properties": { "flag": { "$ref": "defs.schema.json#/$defs/text" }, "coverage_percent": { "$ref": "defs.schema.json#/$defs/percent" }, "total_lines": { "$ref": "defs.schema.json#/$defs/count" }, "covered_lines": { "$ref": "defs.schema.json#/$defs/count" }, "report_file": { "$ref": "defs.schema.json#/$defs/text" }, "summary_file": { "type": ["string", "null"], "maxLength": 4096 } }, "description": "null when coverage could not be measured (Mycelia writes null then)." }, "tests": { "type": "object", "required": ["status"], "properties": { "status": { "$ref": "defs.schema.json#/$defs/status" }, "duration_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "log_file": { "$ref": "defs.schema.json#/$defs/text" }, "suites": { "$ref": "defs.schema.json#/$defs/suites" }, "totals": { "$ref": "defs.schema.json#/$defs/testCounts" }, "failures": { "$ref": "defs.schema.json#/$defs/testFailures" }, "failures_total": { "$ref": "defs.schema.json#/$defs/count" }, "attempts": { "$ref": "defs.schema.json#/$defs/count" }, "flaky": { "$ref": "defs.schema.json#/$defs/testFailures" }, "reason": { "$ref": "defs.schema.json#/$defs/text" } } }, "benchmarks": { "type": "object", "required": ["status"], "properties": { "status": { "$ref": "defs.schema.json#/$defs/status" }, "duration_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "tutorials_log": { "$ref": "defs.schema.json#/$defs/text" }, "benchmarks_log": { "$ref": "defs.schema.json#/$defs/text" }, "results": { "$ref": "defs.schema.json#/$defs/benchmarkResults" }, "baseline": { "$ref": "defs.schema.json#/$defs/baseline" }, "regression_threshold_pct": { "$ref": "defs.schema.json#/$defs/magnitude" }, "worst_regression_pct": { "type": ["number", "null"], "minimum": -1000000000000000, "maximum": 1000000000000000 }, "reason": { "$ref": "defs.schema.json#/$defs/text" }, "verdict": { "$ref": "defs.schema.json#/$defs/benchmarkVerdict" }, "shifts": { "$ref": "defs.schema.json#/$defs/benchmarkShifts" }, "judge": { "$ref": "defs.schema.json#/$defs/judgeSettings" }, "confirmed": { "type": "boolean", "description": "Regressions were rerun and seen twice." } } }, "sources": { "description": "Files on the results branch that this run was read from (set by ingest).", "type": "array", "maxItems": 64, "items": { "$ref": "defs.schema.json#/$defs/text" } }, "dirty": { "type": "boolean", "description": "The tested work tree had changes not in the commit." }, "pushed": { "type": "boolean", "description": "The results remote had the tested commit." }, "results_commit": { "description": "The results-branch commit that last published this run (set by ingest).", "$ref": "defs.schema.json#/$defs/commit" }, "results_index": { "description": "Where results_commit sits on the results branch: its place along the first-parent history, 1 for the branch's first commit (set by ingest from a checkout with the branch's whole history). Orders runs as they were published, whatever the clusters' clocks said.", "type": "integer", "minimum": 1, "maximum": 9007199254740991 } } };
const schema33 = { "description": "A full git object id: 40 (SHA-1) or 64 (SHA-256) lowercase hexadecimal digits.", "type": "string", "pattern": "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" };
const schema34 = { "type": "string", "maxLength": 4096 };
const schema35 = { "type": "string", "format": "date-time", "maxLength": 64 };
const schema44 = { "description": "A count: an integer within 2^53 (exact in JavaScript, finite in any sum of a document's counts).", "type": "integer", "minimum": 0, "maximum": 9007199254740991 };
const schema46 = { "description": "A duration in seconds: at most 10 years.", "type": "number", "minimum": 0, "maximum": 315576000 };
const schema49 = { "type": "string", "minLength": 1, "maxLength": 512 };
const schema56 = { "type": "number", "minimum": 0, "maximum": 100 };
const schema60 = { "description": "Outcome of a phase.", "enum": ["passed", "failed", "skipped"] };
const schema123 = { "description": "A number that is never negative: within 1e15.", "type": "number", "minimum": 0, "maximum": 1000000000000000 };
const schema109 = { "description": "The judge's verdict (see README, Judging benchmarks).", "enum": ["regression", "improvement", "unchanged", "no_baseline"] };
const pattern4 = new RegExp("^(?:[0-9a-f]{40}|[0-9a-f]{64})$", "u");
const func1 = __cjs(ucs2length_namespaceObject).default;
const formats0 = __cjs(formats_namespaceObject).fullFormats["date-time"];
const schema63 = { "description": "Test suites by name (nested Julia test sets joined with '/').", "type": "object", "propertyNames": { "$ref": "#/$defs/name" }, "additionalProperties": { "$ref": "#/$defs/testCounts" } };
const schema65 = { "description": "Counts of one test suite, or of all of them.", "type": "object", "properties": { "passed": { "$ref": "#/$defs/count" }, "failed": { "$ref": "#/$defs/count" }, "errored": { "$ref": "#/$defs/count" }, "broken": { "$ref": "#/$defs/count" }, "skipped": { "$ref": "#/$defs/count" }, "total": { "$ref": "#/$defs/count" }, "duration_seconds": { "$ref": "#/$defs/seconds" } } };
function validate23(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate23.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.passed !== undefined) {
        let data0 = data.passed;
        if (!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))) {
            const err0 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data0 };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 9007199254740991 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err2 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
    }
    if (data.failed !== undefined) {
        let data1 = data.failed;
        if (!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))) {
            const err3 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 9007199254740991 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err5 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
    }
    if (data.errored !== undefined) {
        let data2 = data.errored;
        if (!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) {
            const err6 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 9007199254740991 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.broken !== undefined) {
        let data3 = data.broken;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err9 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.skipped !== undefined) {
        let data4 = data.skipped;
        if (!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))) {
            const err12 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 9007199254740991 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err14 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
    }
    if (data.total !== undefined) {
        let data5 = data.total;
        if (!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))) {
            const err15 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data5 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
        if ((typeof data5 == "number") && (isFinite(data5))) {
            if (data5 > 9007199254740991 || isNaN(data5)) {
                const err16 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
            if (data5 < 0 || isNaN(data5)) {
                const err17 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err17];
                }
                else {
                    vErrors.push(err17);
                }
                errors++;
            }
        }
    }
    if (data.duration_seconds !== undefined) {
        let data6 = data.duration_seconds;
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 315576000 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err19 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err19];
                }
                else {
                    vErrors.push(err19);
                }
                errors++;
            }
        }
        else {
            const err20 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data6 };
            if (vErrors === null) {
                vErrors = [err20];
            }
            else {
                vErrors.push(err20);
            }
            errors++;
        }
    }
}
else {
    const err21 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema65.type, parentSchema: schema65, data };
    if (vErrors === null) {
        vErrors = [err21];
    }
    else {
        vErrors.push(err21);
    }
    errors++;
} validate23.errors = vErrors; return errors === 0; }
validate23.evaluated = { "props": { "passed": true, "failed": true, "errored": true, "broken": true, "skipped": true, "total": true, "duration_seconds": true }, "dynamicProps": false, "dynamicItems": false };
function validate22(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate22.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
        const _errs1 = errors;
        if (typeof key0 === "string") {
            if (func1(key0) > 512) {
                const err0 = { instancePath, schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (func1(key0) < 1) {
                const err1 = { instancePath, schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath, schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
        var valid0 = _errs1 === errors;
        if (!valid0) {
            const err3 = { instancePath, schemaPath: "#/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema63.propertyNames, parentSchema: schema63, data };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    for (const key1 in data) {
        if (!(validate23(data[key1], { instancePath: instancePath + "/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), parentData: data, parentDataProperty: key1, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err4 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema63.type, parentSchema: schema63, data };
    if (vErrors === null) {
        vErrors = [err4];
    }
    else {
        vErrors.push(err4);
    }
    errors++;
} validate22.errors = vErrors; return errors === 0; }
validate22.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
function validate26(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate26.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.passed !== undefined) {
        let data0 = data.passed;
        if (!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))) {
            const err0 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data0 };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 9007199254740991 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err2 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
    }
    if (data.failed !== undefined) {
        let data1 = data.failed;
        if (!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))) {
            const err3 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 9007199254740991 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err5 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
    }
    if (data.errored !== undefined) {
        let data2 = data.errored;
        if (!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) {
            const err6 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 9007199254740991 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.broken !== undefined) {
        let data3 = data.broken;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err9 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.skipped !== undefined) {
        let data4 = data.skipped;
        if (!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))) {
            const err12 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 9007199254740991 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err14 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
    }
    if (data.total !== undefined) {
        let data5 = data.total;
        if (!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))) {
            const err15 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data5 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
        if ((typeof data5 == "number") && (isFinite(data5))) {
            if (data5 > 9007199254740991 || isNaN(data5)) {
                const err16 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
            if (data5 < 0 || isNaN(data5)) {
                const err17 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err17];
                }
                else {
                    vErrors.push(err17);
                }
                errors++;
            }
        }
    }
    if (data.duration_seconds !== undefined) {
        let data6 = data.duration_seconds;
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 315576000 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err19 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err19];
                }
                else {
                    vErrors.push(err19);
                }
                errors++;
            }
        }
        else {
            const err20 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data6 };
            if (vErrors === null) {
                vErrors = [err20];
            }
            else {
                vErrors.push(err20);
            }
            errors++;
        }
    }
}
else {
    const err21 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema65.type, parentSchema: schema65, data };
    if (vErrors === null) {
        vErrors = [err21];
    }
    else {
        vErrors.push(err21);
    }
    errors++;
} validate26.errors = vErrors; return errors === 0; }
validate26.evaluated = { "props": { "passed": true, "failed": true, "errored": true, "broken": true, "skipped": true, "total": true, "duration_seconds": true }, "dynamicProps": false, "dynamicItems": false };
const schema81 = { "description": "The first failures in report order, in full.", "type": "array", "maxItems": 50, "items": { "$ref": "#/$defs/testFailure" } };
const schema82 = { "description": "One failed or errored test, as Julia's Test (`Test Failed at`, `Error During Test at`) or JUnit reported it.", "type": "object", "required": ["kind"], "properties": { "kind": { "description": "failed: the test's expression was false; errored: the test threw.", "enum": ["failed", "errored"] }, "testset": { "description": "The enclosing test sets, outermost first.", "type": "array", "maxItems": 64, "items": { "$ref": "#/$defs/name" } }, "name": { "$ref": "#/$defs/name" }, "file": { "description": "Path relative to the repository root.", "type": "string", "minLength": 1, "maxLength": 1024 }, "line": { "type": "integer", "minimum": 1, "maximum": 2147483647 }, "expression": { "$ref": "#/$defs/text" }, "evaluated": { "$ref": "#/$defs/text" }, "message": { "$ref": "#/$defs/text" }, "flaky": { "description": "Another run of the same commit passed this test.", "type": "boolean" } } };
function validate29(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate29.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.kind === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "kind" }, message: "must have required property '" + "kind" + "'", schema: schema82.required, parentSchema: schema82, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.kind !== undefined) {
        let data0 = data.kind;
        if (!((data0 === "failed") || (data0 === "errored"))) {
            const err1 = { instancePath: instancePath + "/kind", schemaPath: "#/properties/kind/enum", keyword: "enum", params: { allowedValues: schema82.properties.kind.enum }, message: "must be equal to one of the allowed values", schema: schema82.properties.kind.enum, parentSchema: schema82.properties.kind, data: data0 };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
    }
    if (data.testset !== undefined) {
        let data1 = data.testset;
        if (Array.isArray(data1)) {
            if (data1.length > 64) {
                const err2 = { instancePath: instancePath + "/testset", schemaPath: "#/properties/testset/maxItems", keyword: "maxItems", params: { limit: 64 }, message: "must NOT have more than 64 items", schema: 64, parentSchema: schema82.properties.testset, data: data1 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
            const len0 = data1.length;
            for (let i0 = 0; i0 < len0; i0++) {
                let data2 = data1[i0];
                if (typeof data2 === "string") {
                    if (func1(data2) > 512) {
                        const err3 = { instancePath: instancePath + "/testset/" + i0, schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: data2 };
                        if (vErrors === null) {
                            vErrors = [err3];
                        }
                        else {
                            vErrors.push(err3);
                        }
                        errors++;
                    }
                    if (func1(data2) < 1) {
                        const err4 = { instancePath: instancePath + "/testset/" + i0, schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: data2 };
                        if (vErrors === null) {
                            vErrors = [err4];
                        }
                        else {
                            vErrors.push(err4);
                        }
                        errors++;
                    }
                }
                else {
                    const err5 = { instancePath: instancePath + "/testset/" + i0, schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: data2 };
                    if (vErrors === null) {
                        vErrors = [err5];
                    }
                    else {
                        vErrors.push(err5);
                    }
                    errors++;
                }
            }
        }
        else {
            const err6 = { instancePath: instancePath + "/testset", schemaPath: "#/properties/testset/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema82.properties.testset.type, parentSchema: schema82.properties.testset, data: data1 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
    }
    if (data.name !== undefined) {
        let data3 = data.name;
        if (typeof data3 === "string") {
            if (func1(data3) > 512) {
                const err7 = { instancePath: instancePath + "/name", schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: data3 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (func1(data3) < 1) {
                const err8 = { instancePath: instancePath + "/name", schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: data3 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
        else {
            const err9 = { instancePath: instancePath + "/name", schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
    }
    if (data.file !== undefined) {
        let data4 = data.file;
        if (typeof data4 === "string") {
            if (func1(data4) > 1024) {
                const err10 = { instancePath: instancePath + "/file", schemaPath: "#/properties/file/maxLength", keyword: "maxLength", params: { limit: 1024 }, message: "must NOT have more than 1024 characters", schema: 1024, parentSchema: schema82.properties.file, data: data4 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (func1(data4) < 1) {
                const err11 = { instancePath: instancePath + "/file", schemaPath: "#/properties/file/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema82.properties.file, data: data4 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
        else {
            const err12 = { instancePath: instancePath + "/file", schemaPath: "#/properties/file/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema82.properties.file.type, parentSchema: schema82.properties.file, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
    }
    if (data.line !== undefined) {
        let data5 = data.line;
        if (!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))) {
            const err13 = { instancePath: instancePath + "/line", schemaPath: "#/properties/line/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema82.properties.line.type, parentSchema: schema82.properties.line, data: data5 };
            if (vErrors === null) {
                vErrors = [err13];
            }
            else {
                vErrors.push(err13);
            }
            errors++;
        }
        if ((typeof data5 == "number") && (isFinite(data5))) {
            if (data5 > 2147483647 || isNaN(data5)) {
                const err14 = { instancePath: instancePath + "/line", schemaPath: "#/properties/line/maximum", keyword: "maximum", params: { comparison: "<=", limit: 2147483647 }, message: "must be <= 2147483647", schema: 2147483647, parentSchema: schema82.properties.line, data: data5 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
            if (data5 < 1 || isNaN(data5)) {
                const err15 = { instancePath: instancePath + "/line", schemaPath: "#/properties/line/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema82.properties.line, data: data5 };
                if (vErrors === null) {
                    vErrors = [err15];
                }
                else {
                    vErrors.push(err15);
                }
                errors++;
            }
        }
    }
    if (data.expression !== undefined) {
        let data6 = data.expression;
        if (typeof data6 === "string") {
            if (func1(data6) > 4096) {
                const err16 = { instancePath: instancePath + "/expression", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data6 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
        }
        else {
            const err17 = { instancePath: instancePath + "/expression", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data6 };
            if (vErrors === null) {
                vErrors = [err17];
            }
            else {
                vErrors.push(err17);
            }
            errors++;
        }
    }
    if (data.evaluated !== undefined) {
        let data7 = data.evaluated;
        if (typeof data7 === "string") {
            if (func1(data7) > 4096) {
                const err18 = { instancePath: instancePath + "/evaluated", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data7 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
        }
        else {
            const err19 = { instancePath: instancePath + "/evaluated", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data7 };
            if (vErrors === null) {
                vErrors = [err19];
            }
            else {
                vErrors.push(err19);
            }
            errors++;
        }
    }
    if (data.message !== undefined) {
        let data8 = data.message;
        if (typeof data8 === "string") {
            if (func1(data8) > 4096) {
                const err20 = { instancePath: instancePath + "/message", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
        }
        else {
            const err21 = { instancePath: instancePath + "/message", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
            if (vErrors === null) {
                vErrors = [err21];
            }
            else {
                vErrors.push(err21);
            }
            errors++;
        }
    }
    if (data.flaky !== undefined) {
        let data9 = data.flaky;
        if (typeof data9 !== "boolean") {
            const err22 = { instancePath: instancePath + "/flaky", schemaPath: "#/properties/flaky/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema82.properties.flaky.type, parentSchema: schema82.properties.flaky, data: data9 };
            if (vErrors === null) {
                vErrors = [err22];
            }
            else {
                vErrors.push(err22);
            }
            errors++;
        }
    }
}
else {
    const err23 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema82.type, parentSchema: schema82, data };
    if (vErrors === null) {
        vErrors = [err23];
    }
    else {
        vErrors.push(err23);
    }
    errors++;
} validate29.errors = vErrors; return errors === 0; }
validate29.evaluated = { "props": { "kind": true, "testset": true, "name": true, "file": true, "line": true, "expression": true, "evaluated": true, "message": true, "flaky": true }, "dynamicProps": false, "dynamicItems": false };
function validate28(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate28.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (Array.isArray(data)) {
    if (data.length > 50) {
        const err0 = { instancePath, schemaPath: "#/maxItems", keyword: "maxItems", params: { limit: 50 }, message: "must NOT have more than 50 items", schema: 50, parentSchema: schema81, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    const len0 = data.length;
    for (let i0 = 0; i0 < len0; i0++) {
        if (!(validate29(data[i0], { instancePath: instancePath + "/" + i0, parentData: data, parentDataProperty: i0, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err1 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema81.type, parentSchema: schema81, data };
    if (vErrors === null) {
        vErrors = [err1];
    }
    else {
        vErrors.push(err1);
    }
    errors++;
} validate28.errors = vErrors; return errors === 0; }
validate28.evaluated = { "items": true, "dynamicProps": false, "dynamicItems": false };
const schema95 = { "description": "Benchmarks by name (BenchmarkTools groups joined with '/').", "type": "object", "propertyNames": { "$ref": "#/$defs/name" }, "additionalProperties": { "$ref": "#/$defs/benchmarkResult" } };
const schema97 = { "type": "object", "properties": { "median_ms": { "$ref": "#/$defs/milliseconds" }, "mean_ms": { "$ref": "#/$defs/milliseconds" }, "min_ms": { "$ref": "#/$defs/milliseconds" }, "delta_vs_baseline_pct": { "type": ["number", "null"], "minimum": -1000000000000000, "maximum": 1000000000000000 }, "baseline_median_ms": { "type": ["number", "null"], "minimum": 0, "maximum": 315576000000 }, "regression": { "type": "boolean" }, "memory_bytes": { "$ref": "#/$defs/count" }, "allocs": { "$ref": "#/$defs/count" }, "unit": { "$ref": "#/$defs/text" }, "max_ms": { "$ref": "#/$defs/milliseconds" }, "std_ms": { "$ref": "#/$defs/milliseconds" }, "samples": { "$ref": "#/$defs/count" }, "gc_ms": { "$ref": "#/$defs/milliseconds" }, "value": { "$ref": "#/$defs/measure", "description": "A measurement that is not a time (see unit)." }, "direction": { "description": "Which way is better for value (throughput: bigger_is_better).", "enum": ["smaller_is_better", "bigger_is_better"] }, "verdict": { "$ref": "#/$defs/benchmarkVerdict" }, "evidence": { "$ref": "#/$defs/benchmarkEvidence" } } };
const schema98 = { "description": "A time in milliseconds: at most 10 years.", "type": "number", "minimum": 0, "maximum": 315576000000 };
const schema108 = { "description": "Any other number: finite, within ±1e15.", "type": "number", "minimum": -1000000000000000, "maximum": 1000000000000000 };
const schema110 = { "description": "Why a benchmark got its verdict.", "type": "object", "properties": { "history_points": { "$ref": "#/$defs/count" }, "baseline_commit": { "$ref": "#/$defs/commit" }, "tentative": { "type": "boolean", "description": "Too little history to fail a pull request." }, "shift_pct": { "$ref": "#/$defs/measure", "description": "Suite-wide shift removed before judging time, in percent." }, "note": { "$ref": "#/$defs/text" }, "time": { "$ref": "#/$defs/metricJudgement" }, "value": { "$ref": "#/$defs/metricJudgement" }, "allocs": { "$ref": "#/$defs/metricJudgement" }, "memory": { "$ref": "#/$defs/metricJudgement" } } };
const schema115 = { "description": "One metric of one benchmark against its baseline.", "type": "object", "properties": { "baseline": { "$ref": "#/$defs/measure" }, "current": { "$ref": "#/$defs/measure" }, "change_pct": { "description": "Percent change from baseline to current (positive: larger).", "type": ["number", "null"], "minimum": -1000000000000000, "maximum": 1000000000000000 }, "band_pct": { "description": "Noise band (time, value) or tolerance (allocs, memory) in percent.", "type": ["number", "null"], "minimum": 0, "maximum": 1000000000000000 }, "verdict": { "$ref": "#/$defs/benchmarkVerdict" } } };
function validate36(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate36.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.baseline !== undefined) {
        let data0 = data.baseline;
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 1000000000000000 || isNaN(data0)) {
                const err0 = { instancePath: instancePath + "/baseline", schemaPath: "#/$defs/measure/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema108, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (data0 < -1000000000000000 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/baseline", schemaPath: "#/$defs/measure/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema108, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/baseline", schemaPath: "#/$defs/measure/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema108.type, parentSchema: schema108, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.current !== undefined) {
        let data1 = data.current;
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 1000000000000000 || isNaN(data1)) {
                const err3 = { instancePath: instancePath + "/current", schemaPath: "#/$defs/measure/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema108, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
            if (data1 < -1000000000000000 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/current", schemaPath: "#/$defs/measure/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema108, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/current", schemaPath: "#/$defs/measure/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema108.type, parentSchema: schema108, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.change_pct !== undefined) {
        let data2 = data.change_pct;
        if ((!((typeof data2 == "number") && (isFinite(data2)))) && (data2 !== null)) {
            const err6 = { instancePath: instancePath + "/change_pct", schemaPath: "#/properties/change_pct/type", keyword: "type", params: { type: schema115.properties.change_pct.type }, message: "must be number,null", schema: schema115.properties.change_pct.type, parentSchema: schema115.properties.change_pct, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 1000000000000000 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/change_pct", schemaPath: "#/properties/change_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema115.properties.change_pct, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < -1000000000000000 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/change_pct", schemaPath: "#/properties/change_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema115.properties.change_pct, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.band_pct !== undefined) {
        let data3 = data.band_pct;
        if ((!((typeof data3 == "number") && (isFinite(data3)))) && (data3 !== null)) {
            const err9 = { instancePath: instancePath + "/band_pct", schemaPath: "#/properties/band_pct/type", keyword: "type", params: { type: schema115.properties.band_pct.type }, message: "must be number,null", schema: schema115.properties.band_pct.type, parentSchema: schema115.properties.band_pct, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 1000000000000000 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/band_pct", schemaPath: "#/properties/band_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema115.properties.band_pct, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/band_pct", schemaPath: "#/properties/band_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema115.properties.band_pct, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.verdict !== undefined) {
        let data4 = data.verdict;
        if (!((((data4 === "regression") || (data4 === "improvement")) || (data4 === "unchanged")) || (data4 === "no_baseline"))) {
            const err12 = { instancePath: instancePath + "/verdict", schemaPath: "#/$defs/benchmarkVerdict/enum", keyword: "enum", params: { allowedValues: schema109.enum }, message: "must be equal to one of the allowed values", schema: schema109.enum, parentSchema: schema109, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
    }
}
else {
    const err13 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema115.type, parentSchema: schema115, data };
    if (vErrors === null) {
        vErrors = [err13];
    }
    else {
        vErrors.push(err13);
    }
    errors++;
} validate36.errors = vErrors; return errors === 0; }
validate36.evaluated = { "props": { "baseline": true, "current": true, "change_pct": true, "band_pct": true, "verdict": true }, "dynamicProps": false, "dynamicItems": false };
function validate35(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate35.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.history_points !== undefined) {
        let data0 = data.history_points;
        if (!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))) {
            const err0 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data0 };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 9007199254740991 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err2 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
    }
    if (data.baseline_commit !== undefined) {
        let data1 = data.baseline_commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err3 = { instancePath: instancePath + "/baseline_commit", schemaPath: "#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/baseline_commit", schemaPath: "#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.tentative !== undefined) {
        let data2 = data.tentative;
        if (typeof data2 !== "boolean") {
            const err5 = { instancePath: instancePath + "/tentative", schemaPath: "#/properties/tentative/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema110.properties.tentative.type, parentSchema: schema110.properties.tentative, data: data2 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.shift_pct !== undefined) {
        let data3 = data.shift_pct;
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 1000000000000000 || isNaN(data3)) {
                const err6 = { instancePath: instancePath + "/shift_pct", schemaPath: "#/$defs/measure/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema108, data: data3 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            if (data3 < -1000000000000000 || isNaN(data3)) {
                const err7 = { instancePath: instancePath + "/shift_pct", schemaPath: "#/$defs/measure/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema108, data: data3 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        else {
            const err8 = { instancePath: instancePath + "/shift_pct", schemaPath: "#/$defs/measure/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema108.type, parentSchema: schema108, data: data3 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
    }
    if (data.note !== undefined) {
        let data4 = data.note;
        if (typeof data4 === "string") {
            if (func1(data4) > 4096) {
                const err9 = { instancePath: instancePath + "/note", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data4 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
        }
        else {
            const err10 = { instancePath: instancePath + "/note", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data4 };
            if (vErrors === null) {
                vErrors = [err10];
            }
            else {
                vErrors.push(err10);
            }
            errors++;
        }
    }
    if (data.time !== undefined) {
        if (!(validate36(data.time, { instancePath: instancePath + "/time", parentData: data, parentDataProperty: "time", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
            errors = vErrors.length;
        }
    }
    if (data.value !== undefined) {
        if (!(validate36(data.value, { instancePath: instancePath + "/value", parentData: data, parentDataProperty: "value", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
            errors = vErrors.length;
        }
    }
    if (data.allocs !== undefined) {
        if (!(validate36(data.allocs, { instancePath: instancePath + "/allocs", parentData: data, parentDataProperty: "allocs", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
            errors = vErrors.length;
        }
    }
    if (data.memory !== undefined) {
        if (!(validate36(data.memory, { instancePath: instancePath + "/memory", parentData: data, parentDataProperty: "memory", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err11 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema110.type, parentSchema: schema110, data };
    if (vErrors === null) {
        vErrors = [err11];
    }
    else {
        vErrors.push(err11);
    }
    errors++;
} validate35.errors = vErrors; return errors === 0; }
validate35.evaluated = { "props": { "history_points": true, "baseline_commit": true, "tentative": true, "shift_pct": true, "note": true, "time": true, "value": true, "allocs": true, "memory": true }, "dynamicProps": false, "dynamicItems": false };
function validate34(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate34.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.median_ms !== undefined) {
        let data0 = data.median_ms;
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 315576000000 || isNaN(data0)) {
                const err0 = { instancePath: instancePath + "/median_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/median_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/median_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.mean_ms !== undefined) {
        let data1 = data.mean_ms;
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 315576000000 || isNaN(data1)) {
                const err3 = { instancePath: instancePath + "/mean_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/mean_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/mean_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.min_ms !== undefined) {
        let data2 = data.min_ms;
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 315576000000 || isNaN(data2)) {
                const err6 = { instancePath: instancePath + "/min_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data2 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/min_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        else {
            const err8 = { instancePath: instancePath + "/min_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data2 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
    }
    if (data.delta_vs_baseline_pct !== undefined) {
        let data3 = data.delta_vs_baseline_pct;
        if ((!((typeof data3 == "number") && (isFinite(data3)))) && (data3 !== null)) {
            const err9 = { instancePath: instancePath + "/delta_vs_baseline_pct", schemaPath: "#/properties/delta_vs_baseline_pct/type", keyword: "type", params: { type: schema97.properties.delta_vs_baseline_pct.type }, message: "must be number,null", schema: schema97.properties.delta_vs_baseline_pct.type, parentSchema: schema97.properties.delta_vs_baseline_pct, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 1000000000000000 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/delta_vs_baseline_pct", schemaPath: "#/properties/delta_vs_baseline_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema97.properties.delta_vs_baseline_pct, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < -1000000000000000 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/delta_vs_baseline_pct", schemaPath: "#/properties/delta_vs_baseline_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema97.properties.delta_vs_baseline_pct, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.baseline_median_ms !== undefined) {
        let data4 = data.baseline_median_ms;
        if ((!((typeof data4 == "number") && (isFinite(data4)))) && (data4 !== null)) {
            const err12 = { instancePath: instancePath + "/baseline_median_ms", schemaPath: "#/properties/baseline_median_ms/type", keyword: "type", params: { type: schema97.properties.baseline_median_ms.type }, message: "must be number,null", schema: schema97.properties.baseline_median_ms.type, parentSchema: schema97.properties.baseline_median_ms, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 315576000000 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/baseline_median_ms", schemaPath: "#/properties/baseline_median_ms/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema97.properties.baseline_median_ms, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err14 = { instancePath: instancePath + "/baseline_median_ms", schemaPath: "#/properties/baseline_median_ms/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema97.properties.baseline_median_ms, data: data4 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
    }
    if (data.regression !== undefined) {
        let data5 = data.regression;
        if (typeof data5 !== "boolean") {
            const err15 = { instancePath: instancePath + "/regression", schemaPath: "#/properties/regression/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema97.properties.regression.type, parentSchema: schema97.properties.regression, data: data5 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
    }
    if (data.memory_bytes !== undefined) {
        let data6 = data.memory_bytes;
        if (!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))) {
            const err16 = { instancePath: instancePath + "/memory_bytes", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data6 };
            if (vErrors === null) {
                vErrors = [err16];
            }
            else {
                vErrors.push(err16);
            }
            errors++;
        }
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 9007199254740991 || isNaN(data6)) {
                const err17 = { instancePath: instancePath + "/memory_bytes", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err17];
                }
                else {
                    vErrors.push(err17);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/memory_bytes", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
        }
    }
    if (data.allocs !== undefined) {
        let data7 = data.allocs;
        if (!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))) {
            const err19 = { instancePath: instancePath + "/allocs", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data7 };
            if (vErrors === null) {
                vErrors = [err19];
            }
            else {
                vErrors.push(err19);
            }
            errors++;
        }
        if ((typeof data7 == "number") && (isFinite(data7))) {
            if (data7 > 9007199254740991 || isNaN(data7)) {
                const err20 = { instancePath: instancePath + "/allocs", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data7 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
            if (data7 < 0 || isNaN(data7)) {
                const err21 = { instancePath: instancePath + "/allocs", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data7 };
                if (vErrors === null) {
                    vErrors = [err21];
                }
                else {
                    vErrors.push(err21);
                }
                errors++;
            }
        }
    }
    if (data.unit !== undefined) {
        let data8 = data.unit;
        if (typeof data8 === "string") {
            if (func1(data8) > 4096) {
                const err22 = { instancePath: instancePath + "/unit", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                if (vErrors === null) {
                    vErrors = [err22];
                }
                else {
                    vErrors.push(err22);
                }
                errors++;
            }
        }
        else {
            const err23 = { instancePath: instancePath + "/unit", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
            if (vErrors === null) {
                vErrors = [err23];
            }
            else {
                vErrors.push(err23);
            }
            errors++;
        }
    }
    if (data.max_ms !== undefined) {
        let data9 = data.max_ms;
        if ((typeof data9 == "number") && (isFinite(data9))) {
            if (data9 > 315576000000 || isNaN(data9)) {
                const err24 = { instancePath: instancePath + "/max_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data9 };
                if (vErrors === null) {
                    vErrors = [err24];
                }
                else {
                    vErrors.push(err24);
                }
                errors++;
            }
            if (data9 < 0 || isNaN(data9)) {
                const err25 = { instancePath: instancePath + "/max_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data9 };
                if (vErrors === null) {
                    vErrors = [err25];
                }
                else {
                    vErrors.push(err25);
                }
                errors++;
            }
        }
        else {
            const err26 = { instancePath: instancePath + "/max_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data9 };
            if (vErrors === null) {
                vErrors = [err26];
            }
            else {
                vErrors.push(err26);
            }
            errors++;
        }
    }
    if (data.std_ms !== undefined) {
        let data10 = data.std_ms;
        if ((typeof data10 == "number") && (isFinite(data10))) {
            if (data10 > 315576000000 || isNaN(data10)) {
                const err27 = { instancePath: instancePath + "/std_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data10 };
                if (vErrors === null) {
                    vErrors = [err27];
                }
                else {
                    vErrors.push(err27);
                }
                errors++;
            }
            if (data10 < 0 || isNaN(data10)) {
                const err28 = { instancePath: instancePath + "/std_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data10 };
                if (vErrors === null) {
                    vErrors = [err28];
                }
                else {
                    vErrors.push(err28);
                }
                errors++;
            }
        }
        else {
            const err29 = { instancePath: instancePath + "/std_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data10 };
            if (vErrors === null) {
                vErrors = [err29];
            }
            else {
                vErrors.push(err29);
            }
            errors++;
        }
    }
    if (data.samples !== undefined) {
        let data11 = data.samples;
        if (!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))) {
            const err30 = { instancePath: instancePath + "/samples", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data11 };
            if (vErrors === null) {
                vErrors = [err30];
            }
            else {
                vErrors.push(err30);
            }
            errors++;
        }
        if ((typeof data11 == "number") && (isFinite(data11))) {
            if (data11 > 9007199254740991 || isNaN(data11)) {
                const err31 = { instancePath: instancePath + "/samples", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data11 };
                if (vErrors === null) {
                    vErrors = [err31];
                }
                else {
                    vErrors.push(err31);
                }
                errors++;
            }
            if (data11 < 0 || isNaN(data11)) {
                const err32 = { instancePath: instancePath + "/samples", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data11 };
                if (vErrors === null) {
                    vErrors = [err32];
                }
                else {
                    vErrors.push(err32);
                }
                errors++;
            }
        }
    }
    if (data.gc_ms !== undefined) {
        let data12 = data.gc_ms;
        if ((typeof data12 == "number") && (isFinite(data12))) {
            if (data12 > 315576000000 || isNaN(data12)) {
                const err33 = { instancePath: instancePath + "/gc_ms", schemaPath: "#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data12 };
                if (vErrors === null) {
                    vErrors = [err33];
                }
                else {
                    vErrors.push(err33);
                }
                errors++;
            }
            if (data12 < 0 || isNaN(data12)) {
                const err34 = { instancePath: instancePath + "/gc_ms", schemaPath: "#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data12 };
                if (vErrors === null) {
                    vErrors = [err34];
                }
                else {
                    vErrors.push(err34);
                }
                errors++;
            }
        }
        else {
            const err35 = { instancePath: instancePath + "/gc_ms", schemaPath: "#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data12 };
            if (vErrors === null) {
                vErrors = [err35];
            }
            else {
                vErrors.push(err35);
            }
            errors++;
        }
    }
    if (data.value !== undefined) {
        let data13 = data.value;
        if ((typeof data13 == "number") && (isFinite(data13))) {
            if (data13 > 1000000000000000 || isNaN(data13)) {
                const err36 = { instancePath: instancePath + "/value", schemaPath: "#/$defs/measure/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema108, data: data13 };
                if (vErrors === null) {
                    vErrors = [err36];
                }
                else {
                    vErrors.push(err36);
                }
                errors++;
            }
            if (data13 < -1000000000000000 || isNaN(data13)) {
                const err37 = { instancePath: instancePath + "/value", schemaPath: "#/$defs/measure/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema108, data: data13 };
                if (vErrors === null) {
                    vErrors = [err37];
                }
                else {
                    vErrors.push(err37);
                }
                errors++;
            }
        }
        else {
            const err38 = { instancePath: instancePath + "/value", schemaPath: "#/$defs/measure/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema108.type, parentSchema: schema108, data: data13 };
            if (vErrors === null) {
                vErrors = [err38];
            }
            else {
                vErrors.push(err38);
            }
            errors++;
        }
    }
    if (data.direction !== undefined) {
        let data14 = data.direction;
        if (!((data14 === "smaller_is_better") || (data14 === "bigger_is_better"))) {
            const err39 = { instancePath: instancePath + "/direction", schemaPath: "#/properties/direction/enum", keyword: "enum", params: { allowedValues: schema97.properties.direction.enum }, message: "must be equal to one of the allowed values", schema: schema97.properties.direction.enum, parentSchema: schema97.properties.direction, data: data14 };
            if (vErrors === null) {
                vErrors = [err39];
            }
            else {
                vErrors.push(err39);
            }
            errors++;
        }
    }
    if (data.verdict !== undefined) {
        let data15 = data.verdict;
        if (!((((data15 === "regression") || (data15 === "improvement")) || (data15 === "unchanged")) || (data15 === "no_baseline"))) {
            const err40 = { instancePath: instancePath + "/verdict", schemaPath: "#/$defs/benchmarkVerdict/enum", keyword: "enum", params: { allowedValues: schema109.enum }, message: "must be equal to one of the allowed values", schema: schema109.enum, parentSchema: schema109, data: data15 };
            if (vErrors === null) {
                vErrors = [err40];
            }
            else {
                vErrors.push(err40);
            }
            errors++;
        }
    }
    if (data.evidence !== undefined) {
        if (!(validate35(data.evidence, { instancePath: instancePath + "/evidence", parentData: data, parentDataProperty: "evidence", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err41 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema97.type, parentSchema: schema97, data };
    if (vErrors === null) {
        vErrors = [err41];
    }
    else {
        vErrors.push(err41);
    }
    errors++;
} validate34.errors = vErrors; return errors === 0; }
validate34.evaluated = { "props": { "median_ms": true, "mean_ms": true, "min_ms": true, "delta_vs_baseline_pct": true, "baseline_median_ms": true, "regression": true, "memory_bytes": true, "allocs": true, "unit": true, "max_ms": true, "std_ms": true, "samples": true, "gc_ms": true, "value": true, "direction": true, "verdict": true, "evidence": true }, "dynamicProps": false, "dynamicItems": false };
function validate33(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate33.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
        const _errs1 = errors;
        if (typeof key0 === "string") {
            if (func1(key0) > 512) {
                const err0 = { instancePath, schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (func1(key0) < 1) {
                const err1 = { instancePath, schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath, schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
        var valid0 = _errs1 === errors;
        if (!valid0) {
            const err3 = { instancePath, schemaPath: "#/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema95.propertyNames, parentSchema: schema95, data };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    for (const key1 in data) {
        if (!(validate34(data[key1], { instancePath: instancePath + "/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), parentData: data, parentDataProperty: key1, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate34.errors : vErrors.concat(validate34.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err4 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema95.type, parentSchema: schema95, data };
    if (vErrors === null) {
        vErrors = [err4];
    }
    else {
        vErrors.push(err4);
    }
    errors++;
} validate33.errors = vErrors; return errors === 0; }
validate33.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
const schema119 = { "description": "The run the benchmark deltas were computed against.", "type": "object", "properties": { "commit": { "$ref": "#/$defs/commit" }, "branch": { "$ref": "#/$defs/text" }, "generated_at": { "$ref": "#/$defs/timestamp" } } };
function validate44(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate44.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit !== undefined) {
        let data0 = data.commit;
        if (typeof data0 === "string") {
            if (!pattern4.test(data0)) {
                const err0 = { instancePath: instancePath + "/commit", schemaPath: "#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
        }
        else {
            const err1 = { instancePath: instancePath + "/commit", schemaPath: "#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data0 };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
    }
    if (data.branch !== undefined) {
        let data1 = data.branch;
        if (typeof data1 === "string") {
            if (func1(data1) > 4096) {
                const err2 = { instancePath: instancePath + "/branch", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data1 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
        else {
            const err3 = { instancePath: instancePath + "/branch", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    if (data.generated_at !== undefined) {
        let data2 = data.generated_at;
        if (typeof data2 === "string") {
            if (func1(data2) > 64) {
                const err4 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data2 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
            if (!(formats0.validate(data2))) {
                const err5 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data2 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
        else {
            const err6 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
    }
}
else {
    const err7 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema119.type, parentSchema: schema119, data };
    if (vErrors === null) {
        vErrors = [err7];
    }
    else {
        vErrors.push(err7);
    }
    errors++;
} validate44.errors = vErrors; return errors === 0; }
validate44.evaluated = { "props": { "commit": true, "branch": true, "generated_at": true }, "dynamicProps": false, "dynamicItems": false };
const schema126 = { "type": "array", "maxItems": 1000, "items": { "$ref": "#/$defs/benchmarkShift" } };
const schema127 = { "description": "Most of a suite moved together: an environment shift, reported once.", "type": "object", "properties": { "suite": { "$ref": "#/$defs/name" }, "node": { "$ref": "#/$defs/text" }, "factor": { "$ref": "#/$defs/magnitude", "description": "Median ratio current/baseline of the suite." }, "benchmarks": { "$ref": "#/$defs/count" }, "of": { "$ref": "#/$defs/count" } } };
function validate47(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate47.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.suite !== undefined) {
        let data0 = data.suite;
        if (typeof data0 === "string") {
            if (func1(data0) > 512) {
                const err0 = { instancePath: instancePath + "/suite", schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (func1(data0) < 1) {
                const err1 = { instancePath: instancePath + "/suite", schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/suite", schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.node !== undefined) {
        let data1 = data.node;
        if (typeof data1 === "string") {
            if (func1(data1) > 4096) {
                const err3 = { instancePath: instancePath + "/node", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/node", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data1 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.factor !== undefined) {
        let data2 = data.factor;
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 1000000000000000 || isNaN(data2)) {
                const err5 = { instancePath: instancePath + "/factor", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data2 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err6 = { instancePath: instancePath + "/factor", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data2 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
        }
        else {
            const err7 = { instancePath: instancePath + "/factor", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data2 };
            if (vErrors === null) {
                vErrors = [err7];
            }
            else {
                vErrors.push(err7);
            }
            errors++;
        }
    }
    if (data.benchmarks !== undefined) {
        let data3 = data.benchmarks;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err8 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err9 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
        }
    }
    if (data.of !== undefined) {
        let data4 = data.of;
        if (!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))) {
            const err11 = { instancePath: instancePath + "/of", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data4 };
            if (vErrors === null) {
                vErrors = [err11];
            }
            else {
                vErrors.push(err11);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 9007199254740991 || isNaN(data4)) {
                const err12 = { instancePath: instancePath + "/of", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/of", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
        }
    }
}
else {
    const err14 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema127.type, parentSchema: schema127, data };
    if (vErrors === null) {
        vErrors = [err14];
    }
    else {
        vErrors.push(err14);
    }
    errors++;
} validate47.errors = vErrors; return errors === 0; }
validate47.evaluated = { "props": { "suite": true, "node": true, "factor": true, "benchmarks": true, "of": true }, "dynamicProps": false, "dynamicItems": false };
function validate46(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate46.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (Array.isArray(data)) {
    if (data.length > 1000) {
        const err0 = { instancePath, schemaPath: "#/maxItems", keyword: "maxItems", params: { limit: 1000 }, message: "must NOT have more than 1000 items", schema: 1000, parentSchema: schema126, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    const len0 = data.length;
    for (let i0 = 0; i0 < len0; i0++) {
        if (!(validate47(data[i0], { instancePath: instancePath + "/" + i0, parentData: data, parentDataProperty: i0, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate47.errors : vErrors.concat(validate47.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err1 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema126.type, parentSchema: schema126, data };
    if (vErrors === null) {
        vErrors = [err1];
    }
    else {
        vErrors.push(err1);
    }
    errors++;
} validate46.errors = vErrors; return errors === 0; }
validate46.evaluated = { "items": true, "dynamicProps": false, "dynamicItems": false };
const schema133 = { "description": "The settings the judge used, and where each came from.", "type": "object", "properties": { "floor_pct": { "$ref": "#/$defs/magnitude" }, "cap_pct": { "$ref": "#/$defs/magnitude" }, "min_history": { "$ref": "#/$defs/count" }, "history_limit": { "$ref": "#/$defs/count" }, "tolerance_pct": { "$ref": "#/$defs/magnitude", "description": "Allowed increase of allocations and memory." }, "history_branch": { "$ref": "#/$defs/text" }, "history_points": { "$ref": "#/$defs/count" }, "environment": { "$ref": "#/$defs/text" }, "sources": { "type": "object", "additionalProperties": { "$ref": "#/$defs/text" } } } };
function validate50(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate50.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.floor_pct !== undefined) {
        let data0 = data.floor_pct;
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 1000000000000000 || isNaN(data0)) {
                const err0 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.cap_pct !== undefined) {
        let data1 = data.cap_pct;
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 1000000000000000 || isNaN(data1)) {
                const err3 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.min_history !== undefined) {
        let data2 = data.min_history;
        if (!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) {
            const err6 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 9007199254740991 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.history_limit !== undefined) {
        let data3 = data.history_limit;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err9 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.tolerance_pct !== undefined) {
        let data4 = data.tolerance_pct;
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 1000000000000000 || isNaN(data4)) {
                const err12 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data4 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
        }
        else {
            const err14 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data4 };
            if (vErrors === null) {
                vErrors = [err14];
            }
            else {
                vErrors.push(err14);
            }
            errors++;
        }
    }
    if (data.history_branch !== undefined) {
        let data5 = data.history_branch;
        if (typeof data5 === "string") {
            if (func1(data5) > 4096) {
                const err15 = { instancePath: instancePath + "/history_branch", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data5 };
                if (vErrors === null) {
                    vErrors = [err15];
                }
                else {
                    vErrors.push(err15);
                }
                errors++;
            }
        }
        else {
            const err16 = { instancePath: instancePath + "/history_branch", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data5 };
            if (vErrors === null) {
                vErrors = [err16];
            }
            else {
                vErrors.push(err16);
            }
            errors++;
        }
    }
    if (data.history_points !== undefined) {
        let data6 = data.history_points;
        if (!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))) {
            const err17 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data6 };
            if (vErrors === null) {
                vErrors = [err17];
            }
            else {
                vErrors.push(err17);
            }
            errors++;
        }
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 9007199254740991 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err19 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err19];
                }
                else {
                    vErrors.push(err19);
                }
                errors++;
            }
        }
    }
    if (data.environment !== undefined) {
        let data7 = data.environment;
        if (typeof data7 === "string") {
            if (func1(data7) > 4096) {
                const err20 = { instancePath: instancePath + "/environment", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data7 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
        }
        else {
            const err21 = { instancePath: instancePath + "/environment", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data7 };
            if (vErrors === null) {
                vErrors = [err21];
            }
            else {
                vErrors.push(err21);
            }
            errors++;
        }
    }
    if (data.sources !== undefined) {
        let data8 = data.sources;
        if (data8 && typeof data8 == "object" && !Array.isArray(data8)) {
            for (const key0 in data8) {
                let data9 = data8[key0];
                if (typeof data9 === "string") {
                    if (func1(data9) > 4096) {
                        const err22 = { instancePath: instancePath + "/sources/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data9 };
                        if (vErrors === null) {
                            vErrors = [err22];
                        }
                        else {
                            vErrors.push(err22);
                        }
                        errors++;
                    }
                }
                else {
                    const err23 = { instancePath: instancePath + "/sources/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data9 };
                    if (vErrors === null) {
                        vErrors = [err23];
                    }
                    else {
                        vErrors.push(err23);
                    }
                    errors++;
                }
            }
        }
        else {
            const err24 = { instancePath: instancePath + "/sources", schemaPath: "#/properties/sources/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema133.properties.sources.type, parentSchema: schema133.properties.sources, data: data8 };
            if (vErrors === null) {
                vErrors = [err24];
            }
            else {
                vErrors.push(err24);
            }
            errors++;
        }
    }
}
else {
    const err25 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema133.type, parentSchema: schema133, data };
    if (vErrors === null) {
        vErrors = [err25];
    }
    else {
        vErrors.push(err25);
    }
    errors++;
} validate50.errors = vErrors; return errors === 0; }
validate50.evaluated = { "props": { "floor_pct": true, "cap_pct": true, "min_history": true, "history_limit": true, "tolerance_pct": true, "history_branch": true, "history_points": true, "environment": true, "sources": true }, "dynamicProps": false, "dynamicItems": false };
function validate20(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/hpc-results.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate20.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.schema_version === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schema_version" }, message: "must have required property '" + "schema_version" + "'", schema: schema31.required, parentSchema: schema31, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.commit === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema31.required, parentSchema: schema31, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err2 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema31.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.commit !== undefined) {
        let data1 = data.commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err3 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.branch !== undefined) {
        let data2 = data.branch;
        if (typeof data2 === "string") {
            if (func1(data2) > 4096) {
                const err5 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data2 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
        else {
            const err6 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
    }
    if (data.tag !== undefined) {
        let data3 = data.tag;
        if ((typeof data3 !== "string") && (data3 !== null)) {
            const err7 = { instancePath: instancePath + "/tag", schemaPath: "#/properties/tag/type", keyword: "type", params: { type: schema31.properties.tag.type }, message: "must be string,null", schema: schema31.properties.tag.type, parentSchema: schema31.properties.tag, data: data3 };
            if (vErrors === null) {
                vErrors = [err7];
            }
            else {
                vErrors.push(err7);
            }
            errors++;
        }
        if (typeof data3 === "string") {
            if (func1(data3) > 4096) {
                const err8 = { instancePath: instancePath + "/tag", schemaPath: "#/properties/tag/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema31.properties.tag, data: data3 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.generated_at !== undefined) {
        let data4 = data.generated_at;
        if (typeof data4 === "string") {
            if (func1(data4) > 64) {
                const err9 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data4 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
            if (!(formats0.validate(data4))) {
                const err10 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data4 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
        }
        else {
            const err11 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data4 };
            if (vErrors === null) {
                vErrors = [err11];
            }
            else {
                vErrors.push(err11);
            }
            errors++;
        }
    }
    if (data.generated_by !== undefined) {
        let data5 = data.generated_by;
        if (typeof data5 === "string") {
            if (func1(data5) > 4096) {
                const err12 = { instancePath: instancePath + "/generated_by", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data5 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
        }
        else {
            const err13 = { instancePath: instancePath + "/generated_by", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data5 };
            if (vErrors === null) {
                vErrors = [err13];
            }
            else {
                vErrors.push(err13);
            }
            errors++;
        }
    }
    if (data.repository !== undefined) {
        let data6 = data.repository;
        if (typeof data6 === "string") {
            if (func1(data6) > 4096) {
                const err14 = { instancePath: instancePath + "/repository", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data6 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
        else {
            const err15 = { instancePath: instancePath + "/repository", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data6 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
    }
    if (data.hpc !== undefined) {
        let data7 = data.hpc;
        if (data7 && typeof data7 == "object" && !Array.isArray(data7)) {
            if (data7.cluster !== undefined) {
                let data8 = data7.cluster;
                if (typeof data8 === "string") {
                    if (func1(data8) > 4096) {
                        const err16 = { instancePath: instancePath + "/hpc/cluster", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                        if (vErrors === null) {
                            vErrors = [err16];
                        }
                        else {
                            vErrors.push(err16);
                        }
                        errors++;
                    }
                }
                else {
                    const err17 = { instancePath: instancePath + "/hpc/cluster", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
                    if (vErrors === null) {
                        vErrors = [err17];
                    }
                    else {
                        vErrors.push(err17);
                    }
                    errors++;
                }
            }
            if (data7.job_id !== undefined) {
                let data9 = data7.job_id;
                if (typeof data9 === "string") {
                    if (func1(data9) > 4096) {
                        const err18 = { instancePath: instancePath + "/hpc/job_id", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data9 };
                        if (vErrors === null) {
                            vErrors = [err18];
                        }
                        else {
                            vErrors.push(err18);
                        }
                        errors++;
                    }
                }
                else {
                    const err19 = { instancePath: instancePath + "/hpc/job_id", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data9 };
                    if (vErrors === null) {
                        vErrors = [err19];
                    }
                    else {
                        vErrors.push(err19);
                    }
                    errors++;
                }
            }
            if (data7.node !== undefined) {
                let data10 = data7.node;
                if (typeof data10 === "string") {
                    if (func1(data10) > 4096) {
                        const err20 = { instancePath: instancePath + "/hpc/node", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data10 };
                        if (vErrors === null) {
                            vErrors = [err20];
                        }
                        else {
                            vErrors.push(err20);
                        }
                        errors++;
                    }
                }
                else {
                    const err21 = { instancePath: instancePath + "/hpc/node", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data10 };
                    if (vErrors === null) {
                        vErrors = [err21];
                    }
                    else {
                        vErrors.push(err21);
                    }
                    errors++;
                }
            }
            if (data7.julia_version !== undefined) {
                let data11 = data7.julia_version;
                if (typeof data11 === "string") {
                    if (func1(data11) > 4096) {
                        const err22 = { instancePath: instancePath + "/hpc/julia_version", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data11 };
                        if (vErrors === null) {
                            vErrors = [err22];
                        }
                        else {
                            vErrors.push(err22);
                        }
                        errors++;
                    }
                }
                else {
                    const err23 = { instancePath: instancePath + "/hpc/julia_version", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data11 };
                    if (vErrors === null) {
                        vErrors = [err23];
                    }
                    else {
                        vErrors.push(err23);
                    }
                    errors++;
                }
            }
            if (data7.scheduler !== undefined) {
                let data12 = data7.scheduler;
                if (!((((((data12 === "slurm") || (data12 === "pbs")) || (data12 === "lsf")) || (data12 === "flux")) || (data12 === "gitlab")) || (data12 === "local"))) {
                    const err24 = { instancePath: instancePath + "/hpc/scheduler", schemaPath: "#/properties/hpc/properties/scheduler/enum", keyword: "enum", params: { allowedValues: schema31.properties.hpc.properties.scheduler.enum }, message: "must be equal to one of the allowed values", schema: schema31.properties.hpc.properties.scheduler.enum, parentSchema: schema31.properties.hpc.properties.scheduler, data: data12 };
                    if (vErrors === null) {
                        vErrors = [err24];
                    }
                    else {
                        vErrors.push(err24);
                    }
                    errors++;
                }
            }
            if (data7.partition !== undefined) {
                let data13 = data7.partition;
                if (typeof data13 === "string") {
                    if (func1(data13) > 4096) {
                        const err25 = { instancePath: instancePath + "/hpc/partition", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data13 };
                        if (vErrors === null) {
                            vErrors = [err25];
                        }
                        else {
                            vErrors.push(err25);
                        }
                        errors++;
                    }
                }
                else {
                    const err26 = { instancePath: instancePath + "/hpc/partition", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data13 };
                    if (vErrors === null) {
                        vErrors = [err26];
                    }
                    else {
                        vErrors.push(err26);
                    }
                    errors++;
                }
            }
            if (data7.account !== undefined) {
                let data14 = data7.account;
                if (typeof data14 === "string") {
                    if (func1(data14) > 4096) {
                        const err27 = { instancePath: instancePath + "/hpc/account", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data14 };
                        if (vErrors === null) {
                            vErrors = [err27];
                        }
                        else {
                            vErrors.push(err27);
                        }
                        errors++;
                    }
                }
                else {
                    const err28 = { instancePath: instancePath + "/hpc/account", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data14 };
                    if (vErrors === null) {
                        vErrors = [err28];
                    }
                    else {
                        vErrors.push(err28);
                    }
                    errors++;
                }
            }
            if (data7.nodes !== undefined) {
                let data15 = data7.nodes;
                if (!(((typeof data15 == "number") && (!(data15 % 1) && !isNaN(data15))) && (isFinite(data15)))) {
                    const err29 = { instancePath: instancePath + "/hpc/nodes", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data15 };
                    if (vErrors === null) {
                        vErrors = [err29];
                    }
                    else {
                        vErrors.push(err29);
                    }
                    errors++;
                }
                if ((typeof data15 == "number") && (isFinite(data15))) {
                    if (data15 > 9007199254740991 || isNaN(data15)) {
                        const err30 = { instancePath: instancePath + "/hpc/nodes", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data15 };
                        if (vErrors === null) {
                            vErrors = [err30];
                        }
                        else {
                            vErrors.push(err30);
                        }
                        errors++;
                    }
                    if (data15 < 0 || isNaN(data15)) {
                        const err31 = { instancePath: instancePath + "/hpc/nodes", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data15 };
                        if (vErrors === null) {
                            vErrors = [err31];
                        }
                        else {
                            vErrors.push(err31);
                        }
                        errors++;
                    }
                }
            }
            if (data7.cpus !== undefined) {
                let data16 = data7.cpus;
                if (!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))) {
                    const err32 = { instancePath: instancePath + "/hpc/cpus", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data16 };
                    if (vErrors === null) {
                        vErrors = [err32];
                    }
                    else {
                        vErrors.push(err32);
                    }
                    errors++;
                }
                if ((typeof data16 == "number") && (isFinite(data16))) {
                    if (data16 > 9007199254740991 || isNaN(data16)) {
                        const err33 = { instancePath: instancePath + "/hpc/cpus", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data16 };
                        if (vErrors === null) {
                            vErrors = [err33];
                        }
                        else {
                            vErrors.push(err33);
                        }
                        errors++;
                    }
                    if (data16 < 0 || isNaN(data16)) {
                        const err34 = { instancePath: instancePath + "/hpc/cpus", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data16 };
                        if (vErrors === null) {
                            vErrors = [err34];
                        }
                        else {
                            vErrors.push(err34);
                        }
                        errors++;
                    }
                }
            }
            if (data7.walltime_seconds !== undefined) {
                let data17 = data7.walltime_seconds;
                if ((typeof data17 == "number") && (isFinite(data17))) {
                    if (data17 > 315576000 || isNaN(data17)) {
                        const err35 = { instancePath: instancePath + "/hpc/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data17 };
                        if (vErrors === null) {
                            vErrors = [err35];
                        }
                        else {
                            vErrors.push(err35);
                        }
                        errors++;
                    }
                    if (data17 < 0 || isNaN(data17)) {
                        const err36 = { instancePath: instancePath + "/hpc/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data17 };
                        if (vErrors === null) {
                            vErrors = [err36];
                        }
                        else {
                            vErrors.push(err36);
                        }
                        errors++;
                    }
                }
                else {
                    const err37 = { instancePath: instancePath + "/hpc/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data17 };
                    if (vErrors === null) {
                        vErrors = [err37];
                    }
                    else {
                        vErrors.push(err37);
                    }
                    errors++;
                }
            }
            if (data7.time_limit_seconds !== undefined) {
                let data18 = data7.time_limit_seconds;
                if ((typeof data18 == "number") && (isFinite(data18))) {
                    if (data18 > 315576000 || isNaN(data18)) {
                        const err38 = { instancePath: instancePath + "/hpc/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data18 };
                        if (vErrors === null) {
                            vErrors = [err38];
                        }
                        else {
                            vErrors.push(err38);
                        }
                        errors++;
                    }
                    if (data18 < 0 || isNaN(data18)) {
                        const err39 = { instancePath: instancePath + "/hpc/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data18 };
                        if (vErrors === null) {
                            vErrors = [err39];
                        }
                        else {
                            vErrors.push(err39);
                        }
                        errors++;
                    }
                }
                else {
                    const err40 = { instancePath: instancePath + "/hpc/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data18 };
                    if (vErrors === null) {
                        vErrors = [err40];
                    }
                    else {
                        vErrors.push(err40);
                    }
                    errors++;
                }
            }
            if (data7.pipeline_id !== undefined) {
                let data19 = data7.pipeline_id;
                if (typeof data19 === "string") {
                    if (func1(data19) > 4096) {
                        const err41 = { instancePath: instancePath + "/hpc/pipeline_id", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data19 };
                        if (vErrors === null) {
                            vErrors = [err41];
                        }
                        else {
                            vErrors.push(err41);
                        }
                        errors++;
                    }
                }
                else {
                    const err42 = { instancePath: instancePath + "/hpc/pipeline_id", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data19 };
                    if (vErrors === null) {
                        vErrors = [err42];
                    }
                    else {
                        vErrors.push(err42);
                    }
                    errors++;
                }
            }
            if (data7.runtime_versions !== undefined) {
                let data20 = data7.runtime_versions;
                if (data20 && typeof data20 == "object" && !Array.isArray(data20)) {
                    for (const key0 in data20) {
                        const _errs57 = errors;
                        if (typeof key0 === "string") {
                            if (func1(key0) > 512) {
                                const err43 = { instancePath: instancePath + "/hpc/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                                if (vErrors === null) {
                                    vErrors = [err43];
                                }
                                else {
                                    vErrors.push(err43);
                                }
                                errors++;
                            }
                            if (func1(key0) < 1) {
                                const err44 = { instancePath: instancePath + "/hpc/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                                if (vErrors === null) {
                                    vErrors = [err44];
                                }
                                else {
                                    vErrors.push(err44);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err45 = { instancePath: instancePath + "/hpc/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
                            if (vErrors === null) {
                                vErrors = [err45];
                            }
                            else {
                                vErrors.push(err45);
                            }
                            errors++;
                        }
                        var valid18 = _errs57 === errors;
                        if (!valid18) {
                            const err46 = { instancePath: instancePath + "/hpc/runtime_versions", schemaPath: "#/properties/hpc/properties/runtime_versions/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema31.properties.hpc.properties.runtime_versions.propertyNames, parentSchema: schema31.properties.hpc.properties.runtime_versions, data: data20 };
                            if (vErrors === null) {
                                vErrors = [err46];
                            }
                            else {
                                vErrors.push(err46);
                            }
                            errors++;
                        }
                    }
                    for (const key1 in data20) {
                        let data21 = data20[key1];
                        if (typeof data21 === "string") {
                            if (func1(data21) > 4096) {
                                const err47 = { instancePath: instancePath + "/hpc/runtime_versions/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data21 };
                                if (vErrors === null) {
                                    vErrors = [err47];
                                }
                                else {
                                    vErrors.push(err47);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err48 = { instancePath: instancePath + "/hpc/runtime_versions/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data21 };
                            if (vErrors === null) {
                                vErrors = [err48];
                            }
                            else {
                                vErrors.push(err48);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err49 = { instancePath: instancePath + "/hpc/runtime_versions", schemaPath: "#/properties/hpc/properties/runtime_versions/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.hpc.properties.runtime_versions.type, parentSchema: schema31.properties.hpc.properties.runtime_versions, data: data20 };
                    if (vErrors === null) {
                        vErrors = [err49];
                    }
                    else {
                        vErrors.push(err49);
                    }
                    errors++;
                }
            }
            if (data7.cpu_model !== undefined) {
                let data22 = data7.cpu_model;
                if (typeof data22 === "string") {
                    if (func1(data22) > 4096) {
                        const err50 = { instancePath: instancePath + "/hpc/cpu_model", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data22 };
                        if (vErrors === null) {
                            vErrors = [err50];
                        }
                        else {
                            vErrors.push(err50);
                        }
                        errors++;
                    }
                }
                else {
                    const err51 = { instancePath: instancePath + "/hpc/cpu_model", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data22 };
                    if (vErrors === null) {
                        vErrors = [err51];
                    }
                    else {
                        vErrors.push(err51);
                    }
                    errors++;
                }
            }
            if (data7.threads !== undefined) {
                let data23 = data7.threads;
                if (!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))) {
                    const err52 = { instancePath: instancePath + "/hpc/threads", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data23 };
                    if (vErrors === null) {
                        vErrors = [err52];
                    }
                    else {
                        vErrors.push(err52);
                    }
                    errors++;
                }
                if ((typeof data23 == "number") && (isFinite(data23))) {
                    if (data23 > 9007199254740991 || isNaN(data23)) {
                        const err53 = { instancePath: instancePath + "/hpc/threads", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data23 };
                        if (vErrors === null) {
                            vErrors = [err53];
                        }
                        else {
                            vErrors.push(err53);
                        }
                        errors++;
                    }
                    if (data23 < 0 || isNaN(data23)) {
                        const err54 = { instancePath: instancePath + "/hpc/threads", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data23 };
                        if (vErrors === null) {
                            vErrors = [err54];
                        }
                        else {
                            vErrors.push(err54);
                        }
                        errors++;
                    }
                }
            }
            if (data7.os !== undefined) {
                let data24 = data7.os;
                if (typeof data24 === "string") {
                    if (func1(data24) > 4096) {
                        const err55 = { instancePath: instancePath + "/hpc/os", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data24 };
                        if (vErrors === null) {
                            vErrors = [err55];
                        }
                        else {
                            vErrors.push(err55);
                        }
                        errors++;
                    }
                }
                else {
                    const err56 = { instancePath: instancePath + "/hpc/os", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data24 };
                    if (vErrors === null) {
                        vErrors = [err56];
                    }
                    else {
                        vErrors.push(err56);
                    }
                    errors++;
                }
            }
            if (data7.arch !== undefined) {
                let data25 = data7.arch;
                if (typeof data25 === "string") {
                    if (func1(data25) > 4096) {
                        const err57 = { instancePath: instancePath + "/hpc/arch", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data25 };
                        if (vErrors === null) {
                            vErrors = [err57];
                        }
                        else {
                            vErrors.push(err57);
                        }
                        errors++;
                    }
                }
                else {
                    const err58 = { instancePath: instancePath + "/hpc/arch", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data25 };
                    if (vErrors === null) {
                        vErrors = [err58];
                    }
                    else {
                        vErrors.push(err58);
                    }
                    errors++;
                }
            }
        }
        else {
            const err59 = { instancePath: instancePath + "/hpc", schemaPath: "#/properties/hpc/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.hpc.type, parentSchema: schema31.properties.hpc, data: data7 };
            if (vErrors === null) {
                vErrors = [err59];
            }
            else {
                vErrors.push(err59);
            }
            errors++;
        }
    }
    if (data.coverage !== undefined) {
        let data26 = data.coverage;
        if ((!(data26 && typeof data26 == "object" && !Array.isArray(data26))) && (data26 !== null)) {
            const err60 = { instancePath: instancePath + "/coverage", schemaPath: "#/properties/coverage/type", keyword: "type", params: { type: schema31.properties.coverage.type }, message: "must be object,null", schema: schema31.properties.coverage.type, parentSchema: schema31.properties.coverage, data: data26 };
            if (vErrors === null) {
                vErrors = [err60];
            }
            else {
                vErrors.push(err60);
            }
            errors++;
        }
        if (data26 && typeof data26 == "object" && !Array.isArray(data26)) {
            if (data26.coverage_percent === undefined) {
                const err61 = { instancePath: instancePath + "/coverage", schemaPath: "#/properties/coverage/required", keyword: "required", params: { missingProperty: "coverage_percent" }, message: "must have required property '" + "coverage_percent" + "'", schema: schema31.properties.coverage.required, parentSchema: schema31.properties.coverage, data: data26 };
                if (vErrors === null) {
                    vErrors = [err61];
                }
                else {
                    vErrors.push(err61);
                }
                errors++;
            }
            if (data26.flag !== undefined) {
                let data27 = data26.flag;
                if (typeof data27 === "string") {
                    if (func1(data27) > 4096) {
                        const err62 = { instancePath: instancePath + "/coverage/flag", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data27 };
                        if (vErrors === null) {
                            vErrors = [err62];
                        }
                        else {
                            vErrors.push(err62);
                        }
                        errors++;
                    }
                }
                else {
                    const err63 = { instancePath: instancePath + "/coverage/flag", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data27 };
                    if (vErrors === null) {
                        vErrors = [err63];
                    }
                    else {
                        vErrors.push(err63);
                    }
                    errors++;
                }
            }
            if (data26.coverage_percent !== undefined) {
                let data28 = data26.coverage_percent;
                if ((typeof data28 == "number") && (isFinite(data28))) {
                    if (data28 > 100 || isNaN(data28)) {
                        const err64 = { instancePath: instancePath + "/coverage/coverage_percent", schemaPath: "defs.schema.json#/$defs/percent/maximum", keyword: "maximum", params: { comparison: "<=", limit: 100 }, message: "must be <= 100", schema: 100, parentSchema: schema56, data: data28 };
                        if (vErrors === null) {
                            vErrors = [err64];
                        }
                        else {
                            vErrors.push(err64);
                        }
                        errors++;
                    }
                    if (data28 < 0 || isNaN(data28)) {
                        const err65 = { instancePath: instancePath + "/coverage/coverage_percent", schemaPath: "defs.schema.json#/$defs/percent/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema56, data: data28 };
                        if (vErrors === null) {
                            vErrors = [err65];
                        }
                        else {
                            vErrors.push(err65);
                        }
                        errors++;
                    }
                }
                else {
                    const err66 = { instancePath: instancePath + "/coverage/coverage_percent", schemaPath: "defs.schema.json#/$defs/percent/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema56.type, parentSchema: schema56, data: data28 };
                    if (vErrors === null) {
                        vErrors = [err66];
                    }
                    else {
                        vErrors.push(err66);
                    }
                    errors++;
                }
            }
            if (data26.total_lines !== undefined) {
                let data29 = data26.total_lines;
                if (!(((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29))) && (isFinite(data29)))) {
                    const err67 = { instancePath: instancePath + "/coverage/total_lines", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data29 };
                    if (vErrors === null) {
                        vErrors = [err67];
                    }
                    else {
                        vErrors.push(err67);
                    }
                    errors++;
                }
                if ((typeof data29 == "number") && (isFinite(data29))) {
                    if (data29 > 9007199254740991 || isNaN(data29)) {
                        const err68 = { instancePath: instancePath + "/coverage/total_lines", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data29 };
                        if (vErrors === null) {
                            vErrors = [err68];
                        }
                        else {
                            vErrors.push(err68);
                        }
                        errors++;
                    }
                    if (data29 < 0 || isNaN(data29)) {
                        const err69 = { instancePath: instancePath + "/coverage/total_lines", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data29 };
                        if (vErrors === null) {
                            vErrors = [err69];
                        }
                        else {
                            vErrors.push(err69);
                        }
                        errors++;
                    }
                }
            }
            if (data26.covered_lines !== undefined) {
                let data30 = data26.covered_lines;
                if (!(((typeof data30 == "number") && (!(data30 % 1) && !isNaN(data30))) && (isFinite(data30)))) {
                    const err70 = { instancePath: instancePath + "/coverage/covered_lines", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data30 };
                    if (vErrors === null) {
                        vErrors = [err70];
                    }
                    else {
                        vErrors.push(err70);
                    }
                    errors++;
                }
                if ((typeof data30 == "number") && (isFinite(data30))) {
                    if (data30 > 9007199254740991 || isNaN(data30)) {
                        const err71 = { instancePath: instancePath + "/coverage/covered_lines", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data30 };
                        if (vErrors === null) {
                            vErrors = [err71];
                        }
                        else {
                            vErrors.push(err71);
                        }
                        errors++;
                    }
                    if (data30 < 0 || isNaN(data30)) {
                        const err72 = { instancePath: instancePath + "/coverage/covered_lines", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data30 };
                        if (vErrors === null) {
                            vErrors = [err72];
                        }
                        else {
                            vErrors.push(err72);
                        }
                        errors++;
                    }
                }
            }
            if (data26.report_file !== undefined) {
                let data31 = data26.report_file;
                if (typeof data31 === "string") {
                    if (func1(data31) > 4096) {
                        const err73 = { instancePath: instancePath + "/coverage/report_file", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data31 };
                        if (vErrors === null) {
                            vErrors = [err73];
                        }
                        else {
                            vErrors.push(err73);
                        }
                        errors++;
                    }
                }
                else {
                    const err74 = { instancePath: instancePath + "/coverage/report_file", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data31 };
                    if (vErrors === null) {
                        vErrors = [err74];
                    }
                    else {
                        vErrors.push(err74);
                    }
                    errors++;
                }
            }
            if (data26.summary_file !== undefined) {
                let data32 = data26.summary_file;
                if ((typeof data32 !== "string") && (data32 !== null)) {
                    const err75 = { instancePath: instancePath + "/coverage/summary_file", schemaPath: "#/properties/coverage/properties/summary_file/type", keyword: "type", params: { type: schema31.properties.coverage.properties.summary_file.type }, message: "must be string,null", schema: schema31.properties.coverage.properties.summary_file.type, parentSchema: schema31.properties.coverage.properties.summary_file, data: data32 };
                    if (vErrors === null) {
                        vErrors = [err75];
                    }
                    else {
                        vErrors.push(err75);
                    }
                    errors++;
                }
                if (typeof data32 === "string") {
                    if (func1(data32) > 4096) {
                        const err76 = { instancePath: instancePath + "/coverage/summary_file", schemaPath: "#/properties/coverage/properties/summary_file/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema31.properties.coverage.properties.summary_file, data: data32 };
                        if (vErrors === null) {
                            vErrors = [err76];
                        }
                        else {
                            vErrors.push(err76);
                        }
                        errors++;
                    }
                }
            }
        }
    }
    if (data.tests !== undefined) {
        let data33 = data.tests;
        if (data33 && typeof data33 == "object" && !Array.isArray(data33)) {
            if (data33.status === undefined) {
                const err77 = { instancePath: instancePath + "/tests", schemaPath: "#/properties/tests/required", keyword: "required", params: { missingProperty: "status" }, message: "must have required property '" + "status" + "'", schema: schema31.properties.tests.required, parentSchema: schema31.properties.tests, data: data33 };
                if (vErrors === null) {
                    vErrors = [err77];
                }
                else {
                    vErrors.push(err77);
                }
                errors++;
            }
            if (data33.status !== undefined) {
                let data34 = data33.status;
                if (!(((data34 === "passed") || (data34 === "failed")) || (data34 === "skipped"))) {
                    const err78 = { instancePath: instancePath + "/tests/status", schemaPath: "defs.schema.json#/$defs/status/enum", keyword: "enum", params: { allowedValues: schema60.enum }, message: "must be equal to one of the allowed values", schema: schema60.enum, parentSchema: schema60, data: data34 };
                    if (vErrors === null) {
                        vErrors = [err78];
                    }
                    else {
                        vErrors.push(err78);
                    }
                    errors++;
                }
            }
            if (data33.duration_seconds !== undefined) {
                let data35 = data33.duration_seconds;
                if ((typeof data35 == "number") && (isFinite(data35))) {
                    if (data35 > 315576000 || isNaN(data35)) {
                        const err79 = { instancePath: instancePath + "/tests/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data35 };
                        if (vErrors === null) {
                            vErrors = [err79];
                        }
                        else {
                            vErrors.push(err79);
                        }
                        errors++;
                    }
                    if (data35 < 0 || isNaN(data35)) {
                        const err80 = { instancePath: instancePath + "/tests/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data35 };
                        if (vErrors === null) {
                            vErrors = [err80];
                        }
                        else {
                            vErrors.push(err80);
                        }
                        errors++;
                    }
                }
                else {
                    const err81 = { instancePath: instancePath + "/tests/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data35 };
                    if (vErrors === null) {
                        vErrors = [err81];
                    }
                    else {
                        vErrors.push(err81);
                    }
                    errors++;
                }
            }
            if (data33.log_file !== undefined) {
                let data36 = data33.log_file;
                if (typeof data36 === "string") {
                    if (func1(data36) > 4096) {
                        const err82 = { instancePath: instancePath + "/tests/log_file", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data36 };
                        if (vErrors === null) {
                            vErrors = [err82];
                        }
                        else {
                            vErrors.push(err82);
                        }
                        errors++;
                    }
                }
                else {
                    const err83 = { instancePath: instancePath + "/tests/log_file", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data36 };
                    if (vErrors === null) {
                        vErrors = [err83];
                    }
                    else {
                        vErrors.push(err83);
                    }
                    errors++;
                }
            }
            if (data33.suites !== undefined) {
                if (!(validate22(data33.suites, { instancePath: instancePath + "/tests/suites", parentData: data33, parentDataProperty: "suites", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate22.errors : vErrors.concat(validate22.errors);
                    errors = vErrors.length;
                }
            }
            if (data33.totals !== undefined) {
                if (!(validate26(data33.totals, { instancePath: instancePath + "/tests/totals", parentData: data33, parentDataProperty: "totals", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
                    errors = vErrors.length;
                }
            }
            if (data33.failures !== undefined) {
                if (!(validate28(data33.failures, { instancePath: instancePath + "/tests/failures", parentData: data33, parentDataProperty: "failures", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);
                    errors = vErrors.length;
                }
            }
            if (data33.failures_total !== undefined) {
                let data40 = data33.failures_total;
                if (!(((typeof data40 == "number") && (!(data40 % 1) && !isNaN(data40))) && (isFinite(data40)))) {
                    const err84 = { instancePath: instancePath + "/tests/failures_total", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data40 };
                    if (vErrors === null) {
                        vErrors = [err84];
                    }
                    else {
                        vErrors.push(err84);
                    }
                    errors++;
                }
                if ((typeof data40 == "number") && (isFinite(data40))) {
                    if (data40 > 9007199254740991 || isNaN(data40)) {
                        const err85 = { instancePath: instancePath + "/tests/failures_total", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data40 };
                        if (vErrors === null) {
                            vErrors = [err85];
                        }
                        else {
                            vErrors.push(err85);
                        }
                        errors++;
                    }
                    if (data40 < 0 || isNaN(data40)) {
                        const err86 = { instancePath: instancePath + "/tests/failures_total", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data40 };
                        if (vErrors === null) {
                            vErrors = [err86];
                        }
                        else {
                            vErrors.push(err86);
                        }
                        errors++;
                    }
                }
            }
            if (data33.attempts !== undefined) {
                let data41 = data33.attempts;
                if (!(((typeof data41 == "number") && (!(data41 % 1) && !isNaN(data41))) && (isFinite(data41)))) {
                    const err87 = { instancePath: instancePath + "/tests/attempts", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data41 };
                    if (vErrors === null) {
                        vErrors = [err87];
                    }
                    else {
                        vErrors.push(err87);
                    }
                    errors++;
                }
                if ((typeof data41 == "number") && (isFinite(data41))) {
                    if (data41 > 9007199254740991 || isNaN(data41)) {
                        const err88 = { instancePath: instancePath + "/tests/attempts", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data41 };
                        if (vErrors === null) {
                            vErrors = [err88];
                        }
                        else {
                            vErrors.push(err88);
                        }
                        errors++;
                    }
                    if (data41 < 0 || isNaN(data41)) {
                        const err89 = { instancePath: instancePath + "/tests/attempts", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data41 };
                        if (vErrors === null) {
                            vErrors = [err89];
                        }
                        else {
                            vErrors.push(err89);
                        }
                        errors++;
                    }
                }
            }
            if (data33.flaky !== undefined) {
                if (!(validate28(data33.flaky, { instancePath: instancePath + "/tests/flaky", parentData: data33, parentDataProperty: "flaky", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);
                    errors = vErrors.length;
                }
            }
            if (data33.reason !== undefined) {
                let data43 = data33.reason;
                if (typeof data43 === "string") {
                    if (func1(data43) > 4096) {
                        const err90 = { instancePath: instancePath + "/tests/reason", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data43 };
                        if (vErrors === null) {
                            vErrors = [err90];
                        }
                        else {
                            vErrors.push(err90);
                        }
                        errors++;
                    }
                }
                else {
                    const err91 = { instancePath: instancePath + "/tests/reason", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data43 };
                    if (vErrors === null) {
                        vErrors = [err91];
                    }
                    else {
                        vErrors.push(err91);
                    }
                    errors++;
                }
            }
        }
        else {
            const err92 = { instancePath: instancePath + "/tests", schemaPath: "#/properties/tests/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.tests.type, parentSchema: schema31.properties.tests, data: data33 };
            if (vErrors === null) {
                vErrors = [err92];
            }
            else {
                vErrors.push(err92);
            }
            errors++;
        }
    }
    if (data.benchmarks !== undefined) {
        let data44 = data.benchmarks;
        if (data44 && typeof data44 == "object" && !Array.isArray(data44)) {
            if (data44.status === undefined) {
                const err93 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/required", keyword: "required", params: { missingProperty: "status" }, message: "must have required property '" + "status" + "'", schema: schema31.properties.benchmarks.required, parentSchema: schema31.properties.benchmarks, data: data44 };
                if (vErrors === null) {
                    vErrors = [err93];
                }
                else {
                    vErrors.push(err93);
                }
                errors++;
            }
            if (data44.status !== undefined) {
                let data45 = data44.status;
                if (!(((data45 === "passed") || (data45 === "failed")) || (data45 === "skipped"))) {
                    const err94 = { instancePath: instancePath + "/benchmarks/status", schemaPath: "defs.schema.json#/$defs/status/enum", keyword: "enum", params: { allowedValues: schema60.enum }, message: "must be equal to one of the allowed values", schema: schema60.enum, parentSchema: schema60, data: data45 };
                    if (vErrors === null) {
                        vErrors = [err94];
                    }
                    else {
                        vErrors.push(err94);
                    }
                    errors++;
                }
            }
            if (data44.duration_seconds !== undefined) {
                let data46 = data44.duration_seconds;
                if ((typeof data46 == "number") && (isFinite(data46))) {
                    if (data46 > 315576000 || isNaN(data46)) {
                        const err95 = { instancePath: instancePath + "/benchmarks/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data46 };
                        if (vErrors === null) {
                            vErrors = [err95];
                        }
                        else {
                            vErrors.push(err95);
                        }
                        errors++;
                    }
                    if (data46 < 0 || isNaN(data46)) {
                        const err96 = { instancePath: instancePath + "/benchmarks/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data46 };
                        if (vErrors === null) {
                            vErrors = [err96];
                        }
                        else {
                            vErrors.push(err96);
                        }
                        errors++;
                    }
                }
                else {
                    const err97 = { instancePath: instancePath + "/benchmarks/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data46 };
                    if (vErrors === null) {
                        vErrors = [err97];
                    }
                    else {
                        vErrors.push(err97);
                    }
                    errors++;
                }
            }
            if (data44.tutorials_log !== undefined) {
                let data47 = data44.tutorials_log;
                if (typeof data47 === "string") {
                    if (func1(data47) > 4096) {
                        const err98 = { instancePath: instancePath + "/benchmarks/tutorials_log", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data47 };
                        if (vErrors === null) {
                            vErrors = [err98];
                        }
                        else {
                            vErrors.push(err98);
                        }
                        errors++;
                    }
                }
                else {
                    const err99 = { instancePath: instancePath + "/benchmarks/tutorials_log", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data47 };
                    if (vErrors === null) {
                        vErrors = [err99];
                    }
                    else {
                        vErrors.push(err99);
                    }
                    errors++;
                }
            }
            if (data44.benchmarks_log !== undefined) {
                let data48 = data44.benchmarks_log;
                if (typeof data48 === "string") {
                    if (func1(data48) > 4096) {
                        const err100 = { instancePath: instancePath + "/benchmarks/benchmarks_log", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data48 };
                        if (vErrors === null) {
                            vErrors = [err100];
                        }
                        else {
                            vErrors.push(err100);
                        }
                        errors++;
                    }
                }
                else {
                    const err101 = { instancePath: instancePath + "/benchmarks/benchmarks_log", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data48 };
                    if (vErrors === null) {
                        vErrors = [err101];
                    }
                    else {
                        vErrors.push(err101);
                    }
                    errors++;
                }
            }
            if (data44.results !== undefined) {
                if (!(validate33(data44.results, { instancePath: instancePath + "/benchmarks/results", parentData: data44, parentDataProperty: "results", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate33.errors : vErrors.concat(validate33.errors);
                    errors = vErrors.length;
                }
            }
            if (data44.baseline !== undefined) {
                if (!(validate44(data44.baseline, { instancePath: instancePath + "/benchmarks/baseline", parentData: data44, parentDataProperty: "baseline", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate44.errors : vErrors.concat(validate44.errors);
                    errors = vErrors.length;
                }
            }
            if (data44.regression_threshold_pct !== undefined) {
                let data51 = data44.regression_threshold_pct;
                if ((typeof data51 == "number") && (isFinite(data51))) {
                    if (data51 > 1000000000000000 || isNaN(data51)) {
                        const err102 = { instancePath: instancePath + "/benchmarks/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data51 };
                        if (vErrors === null) {
                            vErrors = [err102];
                        }
                        else {
                            vErrors.push(err102);
                        }
                        errors++;
                    }
                    if (data51 < 0 || isNaN(data51)) {
                        const err103 = { instancePath: instancePath + "/benchmarks/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data51 };
                        if (vErrors === null) {
                            vErrors = [err103];
                        }
                        else {
                            vErrors.push(err103);
                        }
                        errors++;
                    }
                }
                else {
                    const err104 = { instancePath: instancePath + "/benchmarks/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data51 };
                    if (vErrors === null) {
                        vErrors = [err104];
                    }
                    else {
                        vErrors.push(err104);
                    }
                    errors++;
                }
            }
            if (data44.worst_regression_pct !== undefined) {
                let data52 = data44.worst_regression_pct;
                if ((!((typeof data52 == "number") && (isFinite(data52)))) && (data52 !== null)) {
                    const err105 = { instancePath: instancePath + "/benchmarks/worst_regression_pct", schemaPath: "#/properties/benchmarks/properties/worst_regression_pct/type", keyword: "type", params: { type: schema31.properties.benchmarks.properties.worst_regression_pct.type }, message: "must be number,null", schema: schema31.properties.benchmarks.properties.worst_regression_pct.type, parentSchema: schema31.properties.benchmarks.properties.worst_regression_pct, data: data52 };
                    if (vErrors === null) {
                        vErrors = [err105];
                    }
                    else {
                        vErrors.push(err105);
                    }
                    errors++;
                }
                if ((typeof data52 == "number") && (isFinite(data52))) {
                    if (data52 > 1000000000000000 || isNaN(data52)) {
                        const err106 = { instancePath: instancePath + "/benchmarks/worst_regression_pct", schemaPath: "#/properties/benchmarks/properties/worst_regression_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema31.properties.benchmarks.properties.worst_regression_pct, data: data52 };
                        if (vErrors === null) {
                            vErrors = [err106];
                        }
                        else {
                            vErrors.push(err106);
                        }
                        errors++;
                    }
                    if (data52 < -1000000000000000 || isNaN(data52)) {
                        const err107 = { instancePath: instancePath + "/benchmarks/worst_regression_pct", schemaPath: "#/properties/benchmarks/properties/worst_regression_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema31.properties.benchmarks.properties.worst_regression_pct, data: data52 };
                        if (vErrors === null) {
                            vErrors = [err107];
                        }
                        else {
                            vErrors.push(err107);
                        }
                        errors++;
                    }
                }
            }
            if (data44.reason !== undefined) {
                let data53 = data44.reason;
                if (typeof data53 === "string") {
                    if (func1(data53) > 4096) {
                        const err108 = { instancePath: instancePath + "/benchmarks/reason", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data53 };
                        if (vErrors === null) {
                            vErrors = [err108];
                        }
                        else {
                            vErrors.push(err108);
                        }
                        errors++;
                    }
                }
                else {
                    const err109 = { instancePath: instancePath + "/benchmarks/reason", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data53 };
                    if (vErrors === null) {
                        vErrors = [err109];
                    }
                    else {
                        vErrors.push(err109);
                    }
                    errors++;
                }
            }
            if (data44.verdict !== undefined) {
                let data54 = data44.verdict;
                if (!((((data54 === "regression") || (data54 === "improvement")) || (data54 === "unchanged")) || (data54 === "no_baseline"))) {
                    const err110 = { instancePath: instancePath + "/benchmarks/verdict", schemaPath: "defs.schema.json#/$defs/benchmarkVerdict/enum", keyword: "enum", params: { allowedValues: schema109.enum }, message: "must be equal to one of the allowed values", schema: schema109.enum, parentSchema: schema109, data: data54 };
                    if (vErrors === null) {
                        vErrors = [err110];
                    }
                    else {
                        vErrors.push(err110);
                    }
                    errors++;
                }
            }
            if (data44.shifts !== undefined) {
                if (!(validate46(data44.shifts, { instancePath: instancePath + "/benchmarks/shifts", parentData: data44, parentDataProperty: "shifts", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate46.errors : vErrors.concat(validate46.errors);
                    errors = vErrors.length;
                }
            }
            if (data44.judge !== undefined) {
                if (!(validate50(data44.judge, { instancePath: instancePath + "/benchmarks/judge", parentData: data44, parentDataProperty: "judge", rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate50.errors : vErrors.concat(validate50.errors);
                    errors = vErrors.length;
                }
            }
            if (data44.confirmed !== undefined) {
                let data57 = data44.confirmed;
                if (typeof data57 !== "boolean") {
                    const err111 = { instancePath: instancePath + "/benchmarks/confirmed", schemaPath: "#/properties/benchmarks/properties/confirmed/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema31.properties.benchmarks.properties.confirmed.type, parentSchema: schema31.properties.benchmarks.properties.confirmed, data: data57 };
                    if (vErrors === null) {
                        vErrors = [err111];
                    }
                    else {
                        vErrors.push(err111);
                    }
                    errors++;
                }
            }
        }
        else {
            const err112 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.properties.benchmarks.type, parentSchema: schema31.properties.benchmarks, data: data44 };
            if (vErrors === null) {
                vErrors = [err112];
            }
            else {
                vErrors.push(err112);
            }
            errors++;
        }
    }
    if (data.sources !== undefined) {
        let data58 = data.sources;
        if (Array.isArray(data58)) {
            if (data58.length > 64) {
                const err113 = { instancePath: instancePath + "/sources", schemaPath: "#/properties/sources/maxItems", keyword: "maxItems", params: { limit: 64 }, message: "must NOT have more than 64 items", schema: 64, parentSchema: schema31.properties.sources, data: data58 };
                if (vErrors === null) {
                    vErrors = [err113];
                }
                else {
                    vErrors.push(err113);
                }
                errors++;
            }
            const len0 = data58.length;
            for (let i0 = 0; i0 < len0; i0++) {
                let data59 = data58[i0];
                if (typeof data59 === "string") {
                    if (func1(data59) > 4096) {
                        const err114 = { instancePath: instancePath + "/sources/" + i0, schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data59 };
                        if (vErrors === null) {
                            vErrors = [err114];
                        }
                        else {
                            vErrors.push(err114);
                        }
                        errors++;
                    }
                }
                else {
                    const err115 = { instancePath: instancePath + "/sources/" + i0, schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data59 };
                    if (vErrors === null) {
                        vErrors = [err115];
                    }
                    else {
                        vErrors.push(err115);
                    }
                    errors++;
                }
            }
        }
        else {
            const err116 = { instancePath: instancePath + "/sources", schemaPath: "#/properties/sources/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema31.properties.sources.type, parentSchema: schema31.properties.sources, data: data58 };
            if (vErrors === null) {
                vErrors = [err116];
            }
            else {
                vErrors.push(err116);
            }
            errors++;
        }
    }
    if (data.dirty !== undefined) {
        let data60 = data.dirty;
        if (typeof data60 !== "boolean") {
            const err117 = { instancePath: instancePath + "/dirty", schemaPath: "#/properties/dirty/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema31.properties.dirty.type, parentSchema: schema31.properties.dirty, data: data60 };
            if (vErrors === null) {
                vErrors = [err117];
            }
            else {
                vErrors.push(err117);
            }
            errors++;
        }
    }
    if (data.pushed !== undefined) {
        let data61 = data.pushed;
        if (typeof data61 !== "boolean") {
            const err118 = { instancePath: instancePath + "/pushed", schemaPath: "#/properties/pushed/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema31.properties.pushed.type, parentSchema: schema31.properties.pushed, data: data61 };
            if (vErrors === null) {
                vErrors = [err118];
            }
            else {
                vErrors.push(err118);
            }
            errors++;
        }
    }
    if (data.results_commit !== undefined) {
        let data62 = data.results_commit;
        if (typeof data62 === "string") {
            if (!pattern4.test(data62)) {
                const err119 = { instancePath: instancePath + "/results_commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data62 };
                if (vErrors === null) {
                    vErrors = [err119];
                }
                else {
                    vErrors.push(err119);
                }
                errors++;
            }
        }
        else {
            const err120 = { instancePath: instancePath + "/results_commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data62 };
            if (vErrors === null) {
                vErrors = [err120];
            }
            else {
                vErrors.push(err120);
            }
            errors++;
        }
    }
    if (data.results_index !== undefined) {
        let data63 = data.results_index;
        if (!(((typeof data63 == "number") && (!(data63 % 1) && !isNaN(data63))) && (isFinite(data63)))) {
            const err121 = { instancePath: instancePath + "/results_index", schemaPath: "#/properties/results_index/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema31.properties.results_index.type, parentSchema: schema31.properties.results_index, data: data63 };
            if (vErrors === null) {
                vErrors = [err121];
            }
            else {
                vErrors.push(err121);
            }
            errors++;
        }
        if ((typeof data63 == "number") && (isFinite(data63))) {
            if (data63 > 9007199254740991 || isNaN(data63)) {
                const err122 = { instancePath: instancePath + "/results_index", schemaPath: "#/properties/results_index/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema31.properties.results_index, data: data63 };
                if (vErrors === null) {
                    vErrors = [err122];
                }
                else {
                    vErrors.push(err122);
                }
                errors++;
            }
            if (data63 < 1 || isNaN(data63)) {
                const err123 = { instancePath: instancePath + "/results_index", schemaPath: "#/properties/results_index/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema31.properties.results_index, data: data63 };
                if (vErrors === null) {
                    vErrors = [err123];
                }
                else {
                    vErrors.push(err123);
                }
                errors++;
            }
        }
    }
}
else {
    const err124 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema31.type, parentSchema: schema31, data };
    if (vErrors === null) {
        vErrors = [err124];
    }
    else {
        vErrors.push(err124);
    }
    errors++;
} validate20.errors = vErrors; return errors === 0; }
validate20.evaluated = { "props": { "schema_version": true, "commit": true, "branch": true, "tag": true, "generated_at": true, "generated_by": true, "repository": true, "hpc": true, "coverage": true, "tests": true, "benchmarks": true, "sources": true, "dirty": true, "pushed": true, "results_commit": true, "results_index": true }, "dynamicProps": false, "dynamicItems": false };
const validateTestsSummary = validate52;
const schema145 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/tests-summary.schema.json", "title": "tests/summary.json (and <sha>/tests.json on the results branch), schema_version 1", "type": "object", "required": ["commit", "status"], "properties": { "schema_version": { "const": 1 }, "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "status": { "$ref": "defs.schema.json#/$defs/status" }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "duration_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "suites": { "$ref": "defs.schema.json#/$defs/suites" }, "totals": { "$ref": "defs.schema.json#/$defs/testCounts" }, "failures": { "$ref": "defs.schema.json#/$defs/testFailures" }, "failures_total": { "$ref": "defs.schema.json#/$defs/count" }, "attempts": { "$ref": "defs.schema.json#/$defs/count" }, "flaky": { "$ref": "defs.schema.json#/$defs/testFailures" }, "reason": { "$ref": "defs.schema.json#/$defs/text" } } };
function validate53(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate53.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
        const _errs1 = errors;
        if (typeof key0 === "string") {
            if (func1(key0) > 512) {
                const err0 = { instancePath, schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (func1(key0) < 1) {
                const err1 = { instancePath, schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath, schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
        var valid0 = _errs1 === errors;
        if (!valid0) {
            const err3 = { instancePath, schemaPath: "#/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema63.propertyNames, parentSchema: schema63, data };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    for (const key1 in data) {
        if (!(validate23(data[key1], { instancePath: instancePath + "/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), parentData: data, parentDataProperty: key1, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err4 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema63.type, parentSchema: schema63, data };
    if (vErrors === null) {
        vErrors = [err4];
    }
    else {
        vErrors.push(err4);
    }
    errors++;
} validate53.errors = vErrors; return errors === 0; }
validate53.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
function validate56(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate56.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.passed !== undefined) {
        let data0 = data.passed;
        if (!(((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0))) && (isFinite(data0)))) {
            const err0 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data0 };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 9007199254740991 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err2 = { instancePath: instancePath + "/passed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data0 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
    }
    if (data.failed !== undefined) {
        let data1 = data.failed;
        if (!(((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1))) && (isFinite(data1)))) {
            const err3 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 9007199254740991 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err5 = { instancePath: instancePath + "/failed", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data1 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
    }
    if (data.errored !== undefined) {
        let data2 = data.errored;
        if (!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) {
            const err6 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 9007199254740991 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/errored", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.broken !== undefined) {
        let data3 = data.broken;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err9 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/broken", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.skipped !== undefined) {
        let data4 = data.skipped;
        if (!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))) {
            const err12 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data4 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 9007199254740991 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err14 = { instancePath: instancePath + "/skipped", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
    }
    if (data.total !== undefined) {
        let data5 = data.total;
        if (!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))) {
            const err15 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data5 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
        if ((typeof data5 == "number") && (isFinite(data5))) {
            if (data5 > 9007199254740991 || isNaN(data5)) {
                const err16 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
            if (data5 < 0 || isNaN(data5)) {
                const err17 = { instancePath: instancePath + "/total", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err17];
                }
                else {
                    vErrors.push(err17);
                }
                errors++;
            }
        }
    }
    if (data.duration_seconds !== undefined) {
        let data6 = data.duration_seconds;
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 315576000 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err19 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data6 };
                if (vErrors === null) {
                    vErrors = [err19];
                }
                else {
                    vErrors.push(err19);
                }
                errors++;
            }
        }
        else {
            const err20 = { instancePath: instancePath + "/duration_seconds", schemaPath: "#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data6 };
            if (vErrors === null) {
                vErrors = [err20];
            }
            else {
                vErrors.push(err20);
            }
            errors++;
        }
    }
}
else {
    const err21 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema65.type, parentSchema: schema65, data };
    if (vErrors === null) {
        vErrors = [err21];
    }
    else {
        vErrors.push(err21);
    }
    errors++;
} validate56.errors = vErrors; return errors === 0; }
validate56.evaluated = { "props": { "passed": true, "failed": true, "errored": true, "broken": true, "skipped": true, "total": true, "duration_seconds": true }, "dynamicProps": false, "dynamicItems": false };
function validate58(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate58.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (Array.isArray(data)) {
    if (data.length > 50) {
        const err0 = { instancePath, schemaPath: "#/maxItems", keyword: "maxItems", params: { limit: 50 }, message: "must NOT have more than 50 items", schema: 50, parentSchema: schema81, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    const len0 = data.length;
    for (let i0 = 0; i0 < len0; i0++) {
        if (!(validate29(data[i0], { instancePath: instancePath + "/" + i0, parentData: data, parentDataProperty: i0, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err1 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema81.type, parentSchema: schema81, data };
    if (vErrors === null) {
        vErrors = [err1];
    }
    else {
        vErrors.push(err1);
    }
    errors++;
} validate58.errors = vErrors; return errors === 0; }
validate58.evaluated = { "items": true, "dynamicProps": false, "dynamicItems": false };
function validate52(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/tests-summary.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate52.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema145.required, parentSchema: schema145, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.status === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "status" }, message: "must have required property '" + "status" + "'", schema: schema145.required, parentSchema: schema145, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err2 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema145.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.commit !== undefined) {
        let data1 = data.commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err3 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.status !== undefined) {
        let data2 = data.status;
        if (!(((data2 === "passed") || (data2 === "failed")) || (data2 === "skipped"))) {
            const err5 = { instancePath: instancePath + "/status", schemaPath: "defs.schema.json#/$defs/status/enum", keyword: "enum", params: { allowedValues: schema60.enum }, message: "must be equal to one of the allowed values", schema: schema60.enum, parentSchema: schema60, data: data2 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.generated_at !== undefined) {
        let data3 = data.generated_at;
        if (typeof data3 === "string") {
            if (func1(data3) > 64) {
                const err6 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data3 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            if (!(formats0.validate(data3))) {
                const err7 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data3 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        else {
            const err8 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data3 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
    }
    if (data.duration_seconds !== undefined) {
        let data4 = data.duration_seconds;
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 315576000 || isNaN(data4)) {
                const err9 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data4 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err10 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data4 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
        }
        else {
            const err11 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data4 };
            if (vErrors === null) {
                vErrors = [err11];
            }
            else {
                vErrors.push(err11);
            }
            errors++;
        }
    }
    if (data.suites !== undefined) {
        if (!(validate53(data.suites, { instancePath: instancePath + "/suites", parentData: data, parentDataProperty: "suites", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate53.errors : vErrors.concat(validate53.errors);
            errors = vErrors.length;
        }
    }
    if (data.totals !== undefined) {
        if (!(validate56(data.totals, { instancePath: instancePath + "/totals", parentData: data, parentDataProperty: "totals", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate56.errors : vErrors.concat(validate56.errors);
            errors = vErrors.length;
        }
    }
    if (data.failures !== undefined) {
        if (!(validate58(data.failures, { instancePath: instancePath + "/failures", parentData: data, parentDataProperty: "failures", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate58.errors : vErrors.concat(validate58.errors);
            errors = vErrors.length;
        }
    }
    if (data.failures_total !== undefined) {
        let data8 = data.failures_total;
        if (!(((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8))) && (isFinite(data8)))) {
            const err12 = { instancePath: instancePath + "/failures_total", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data8 };
            if (vErrors === null) {
                vErrors = [err12];
            }
            else {
                vErrors.push(err12);
            }
            errors++;
        }
        if ((typeof data8 == "number") && (isFinite(data8))) {
            if (data8 > 9007199254740991 || isNaN(data8)) {
                const err13 = { instancePath: instancePath + "/failures_total", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data8 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
            if (data8 < 0 || isNaN(data8)) {
                const err14 = { instancePath: instancePath + "/failures_total", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data8 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
    }
    if (data.attempts !== undefined) {
        let data9 = data.attempts;
        if (!(((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9))) && (isFinite(data9)))) {
            const err15 = { instancePath: instancePath + "/attempts", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data9 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
        if ((typeof data9 == "number") && (isFinite(data9))) {
            if (data9 > 9007199254740991 || isNaN(data9)) {
                const err16 = { instancePath: instancePath + "/attempts", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data9 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
            if (data9 < 0 || isNaN(data9)) {
                const err17 = { instancePath: instancePath + "/attempts", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data9 };
                if (vErrors === null) {
                    vErrors = [err17];
                }
                else {
                    vErrors.push(err17);
                }
                errors++;
            }
        }
    }
    if (data.flaky !== undefined) {
        if (!(validate58(data.flaky, { instancePath: instancePath + "/flaky", parentData: data, parentDataProperty: "flaky", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate58.errors : vErrors.concat(validate58.errors);
            errors = vErrors.length;
        }
    }
    if (data.reason !== undefined) {
        let data11 = data.reason;
        if (typeof data11 === "string") {
            if (func1(data11) > 4096) {
                const err18 = { instancePath: instancePath + "/reason", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data11 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
        }
        else {
            const err19 = { instancePath: instancePath + "/reason", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data11 };
            if (vErrors === null) {
                vErrors = [err19];
            }
            else {
                vErrors.push(err19);
            }
            errors++;
        }
    }
}
else {
    const err20 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema145.type, parentSchema: schema145, data };
    if (vErrors === null) {
        vErrors = [err20];
    }
    else {
        vErrors.push(err20);
    }
    errors++;
} validate52.errors = vErrors; return errors === 0; }
validate52.evaluated = { "props": { "schema_version": true, "commit": true, "status": true, "generated_at": true, "duration_seconds": true, "suites": true, "totals": true, "failures": true, "failures_total": true, "attempts": true, "flaky": true, "reason": true }, "dynamicProps": false, "dynamicItems": false };
const validateBenchmarksSummary = validate62;
const schema164 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/benchmarks-summary.schema.json", "title": "benchmarks/summary.json (and <sha>/benchmarks.json on the results branch), schema_version 1", "type": "object", "required": ["commit", "benchmarks"], "properties": { "schema_version": { "const": 1 }, "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "status": { "$ref": "defs.schema.json#/$defs/status" }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "duration_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "benchmarks": { "$ref": "defs.schema.json#/$defs/benchmarkResults" }, "baseline": { "$ref": "defs.schema.json#/$defs/baseline" }, "regression_threshold_pct": { "$ref": "defs.schema.json#/$defs/magnitude" }, "reason": { "$ref": "defs.schema.json#/$defs/text" }, "verdict": { "$ref": "defs.schema.json#/$defs/benchmarkVerdict" }, "shifts": { "$ref": "defs.schema.json#/$defs/benchmarkShifts" }, "judge": { "$ref": "defs.schema.json#/$defs/judgeSettings" }, "confirmed": { "type": "boolean", "description": "Regressions were rerun and seen twice." } } };
function validate63(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate63.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
        const _errs1 = errors;
        if (typeof key0 === "string") {
            if (func1(key0) > 512) {
                const err0 = { instancePath, schemaPath: "#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (func1(key0) < 1) {
                const err1 = { instancePath, schemaPath: "#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath, schemaPath: "#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
        var valid0 = _errs1 === errors;
        if (!valid0) {
            const err3 = { instancePath, schemaPath: "#/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema95.propertyNames, parentSchema: schema95, data };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    for (const key1 in data) {
        if (!(validate34(data[key1], { instancePath: instancePath + "/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), parentData: data, parentDataProperty: key1, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate34.errors : vErrors.concat(validate34.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err4 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema95.type, parentSchema: schema95, data };
    if (vErrors === null) {
        vErrors = [err4];
    }
    else {
        vErrors.push(err4);
    }
    errors++;
} validate63.errors = vErrors; return errors === 0; }
validate63.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
function validate66(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate66.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit !== undefined) {
        let data0 = data.commit;
        if (typeof data0 === "string") {
            if (!pattern4.test(data0)) {
                const err0 = { instancePath: instancePath + "/commit", schemaPath: "#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
        }
        else {
            const err1 = { instancePath: instancePath + "/commit", schemaPath: "#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data0 };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
    }
    if (data.branch !== undefined) {
        let data1 = data.branch;
        if (typeof data1 === "string") {
            if (func1(data1) > 4096) {
                const err2 = { instancePath: instancePath + "/branch", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data1 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
        else {
            const err3 = { instancePath: instancePath + "/branch", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    if (data.generated_at !== undefined) {
        let data2 = data.generated_at;
        if (typeof data2 === "string") {
            if (func1(data2) > 64) {
                const err4 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data2 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
            if (!(formats0.validate(data2))) {
                const err5 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data2 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
        else {
            const err6 = { instancePath: instancePath + "/generated_at", schemaPath: "#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
    }
}
else {
    const err7 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema119.type, parentSchema: schema119, data };
    if (vErrors === null) {
        vErrors = [err7];
    }
    else {
        vErrors.push(err7);
    }
    errors++;
} validate66.errors = vErrors; return errors === 0; }
validate66.evaluated = { "props": { "commit": true, "branch": true, "generated_at": true }, "dynamicProps": false, "dynamicItems": false };
function validate68(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate68.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (Array.isArray(data)) {
    if (data.length > 1000) {
        const err0 = { instancePath, schemaPath: "#/maxItems", keyword: "maxItems", params: { limit: 1000 }, message: "must NOT have more than 1000 items", schema: 1000, parentSchema: schema126, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    const len0 = data.length;
    for (let i0 = 0; i0 < len0; i0++) {
        if (!(validate47(data[i0], { instancePath: instancePath + "/" + i0, parentData: data, parentDataProperty: i0, rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate47.errors : vErrors.concat(validate47.errors);
            errors = vErrors.length;
        }
    }
}
else {
    const err1 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema126.type, parentSchema: schema126, data };
    if (vErrors === null) {
        vErrors = [err1];
    }
    else {
        vErrors.push(err1);
    }
    errors++;
} validate68.errors = vErrors; return errors === 0; }
validate68.evaluated = { "items": true, "dynamicProps": false, "dynamicItems": false };
function validate71(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate71.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.floor_pct !== undefined) {
        let data0 = data.floor_pct;
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 1000000000000000 || isNaN(data0)) {
                const err0 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/floor_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.cap_pct !== undefined) {
        let data1 = data.cap_pct;
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 1000000000000000 || isNaN(data1)) {
                const err3 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/cap_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.min_history !== undefined) {
        let data2 = data.min_history;
        if (!(((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2))) && (isFinite(data2)))) {
            const err6 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data2 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 9007199254740991 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
            if (data2 < 0 || isNaN(data2)) {
                const err8 = { instancePath: instancePath + "/min_history", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
    }
    if (data.history_limit !== undefined) {
        let data3 = data.history_limit;
        if (!(((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3))) && (isFinite(data3)))) {
            const err9 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
        if ((typeof data3 == "number") && (isFinite(data3))) {
            if (data3 > 9007199254740991 || isNaN(data3)) {
                const err10 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
            if (data3 < 0 || isNaN(data3)) {
                const err11 = { instancePath: instancePath + "/history_limit", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data3 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
    }
    if (data.tolerance_pct !== undefined) {
        let data4 = data.tolerance_pct;
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 1000000000000000 || isNaN(data4)) {
                const err12 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data4 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err13 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data4 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
        }
        else {
            const err14 = { instancePath: instancePath + "/tolerance_pct", schemaPath: "#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data4 };
            if (vErrors === null) {
                vErrors = [err14];
            }
            else {
                vErrors.push(err14);
            }
            errors++;
        }
    }
    if (data.history_branch !== undefined) {
        let data5 = data.history_branch;
        if (typeof data5 === "string") {
            if (func1(data5) > 4096) {
                const err15 = { instancePath: instancePath + "/history_branch", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data5 };
                if (vErrors === null) {
                    vErrors = [err15];
                }
                else {
                    vErrors.push(err15);
                }
                errors++;
            }
        }
        else {
            const err16 = { instancePath: instancePath + "/history_branch", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data5 };
            if (vErrors === null) {
                vErrors = [err16];
            }
            else {
                vErrors.push(err16);
            }
            errors++;
        }
    }
    if (data.history_points !== undefined) {
        let data6 = data.history_points;
        if (!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))) {
            const err17 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data6 };
            if (vErrors === null) {
                vErrors = [err17];
            }
            else {
                vErrors.push(err17);
            }
            errors++;
        }
        if ((typeof data6 == "number") && (isFinite(data6))) {
            if (data6 > 9007199254740991 || isNaN(data6)) {
                const err18 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
            if (data6 < 0 || isNaN(data6)) {
                const err19 = { instancePath: instancePath + "/history_points", schemaPath: "#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data6 };
                if (vErrors === null) {
                    vErrors = [err19];
                }
                else {
                    vErrors.push(err19);
                }
                errors++;
            }
        }
    }
    if (data.environment !== undefined) {
        let data7 = data.environment;
        if (typeof data7 === "string") {
            if (func1(data7) > 4096) {
                const err20 = { instancePath: instancePath + "/environment", schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data7 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
        }
        else {
            const err21 = { instancePath: instancePath + "/environment", schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data7 };
            if (vErrors === null) {
                vErrors = [err21];
            }
            else {
                vErrors.push(err21);
            }
            errors++;
        }
    }
    if (data.sources !== undefined) {
        let data8 = data.sources;
        if (data8 && typeof data8 == "object" && !Array.isArray(data8)) {
            for (const key0 in data8) {
                let data9 = data8[key0];
                if (typeof data9 === "string") {
                    if (func1(data9) > 4096) {
                        const err22 = { instancePath: instancePath + "/sources/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data9 };
                        if (vErrors === null) {
                            vErrors = [err22];
                        }
                        else {
                            vErrors.push(err22);
                        }
                        errors++;
                    }
                }
                else {
                    const err23 = { instancePath: instancePath + "/sources/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data9 };
                    if (vErrors === null) {
                        vErrors = [err23];
                    }
                    else {
                        vErrors.push(err23);
                    }
                    errors++;
                }
            }
        }
        else {
            const err24 = { instancePath: instancePath + "/sources", schemaPath: "#/properties/sources/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema133.properties.sources.type, parentSchema: schema133.properties.sources, data: data8 };
            if (vErrors === null) {
                vErrors = [err24];
            }
            else {
                vErrors.push(err24);
            }
            errors++;
        }
    }
}
else {
    const err25 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema133.type, parentSchema: schema133, data };
    if (vErrors === null) {
        vErrors = [err25];
    }
    else {
        vErrors.push(err25);
    }
    errors++;
} validate71.errors = vErrors; return errors === 0; }
validate71.evaluated = { "props": { "floor_pct": true, "cap_pct": true, "min_history": true, "history_limit": true, "tolerance_pct": true, "history_branch": true, "history_points": true, "environment": true, "sources": true }, "dynamicProps": false, "dynamicItems": false };
function validate62(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/benchmarks-summary.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate62.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema164.required, parentSchema: schema164, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.benchmarks === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "benchmarks" }, message: "must have required property '" + "benchmarks" + "'", schema: schema164.required, parentSchema: schema164, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err2 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema164.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.commit !== undefined) {
        let data1 = data.commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err3 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.status !== undefined) {
        let data2 = data.status;
        if (!(((data2 === "passed") || (data2 === "failed")) || (data2 === "skipped"))) {
            const err5 = { instancePath: instancePath + "/status", schemaPath: "defs.schema.json#/$defs/status/enum", keyword: "enum", params: { allowedValues: schema60.enum }, message: "must be equal to one of the allowed values", schema: schema60.enum, parentSchema: schema60, data: data2 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.generated_at !== undefined) {
        let data3 = data.generated_at;
        if (typeof data3 === "string") {
            if (func1(data3) > 64) {
                const err6 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data3 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            if (!(formats0.validate(data3))) {
                const err7 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data3 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        else {
            const err8 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data3 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
    }
    if (data.duration_seconds !== undefined) {
        let data4 = data.duration_seconds;
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 315576000 || isNaN(data4)) {
                const err9 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data4 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err10 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data4 };
                if (vErrors === null) {
                    vErrors = [err10];
                }
                else {
                    vErrors.push(err10);
                }
                errors++;
            }
        }
        else {
            const err11 = { instancePath: instancePath + "/duration_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data4 };
            if (vErrors === null) {
                vErrors = [err11];
            }
            else {
                vErrors.push(err11);
            }
            errors++;
        }
    }
    if (data.benchmarks !== undefined) {
        if (!(validate63(data.benchmarks, { instancePath: instancePath + "/benchmarks", parentData: data, parentDataProperty: "benchmarks", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate63.errors : vErrors.concat(validate63.errors);
            errors = vErrors.length;
        }
    }
    if (data.baseline !== undefined) {
        if (!(validate66(data.baseline, { instancePath: instancePath + "/baseline", parentData: data, parentDataProperty: "baseline", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate66.errors : vErrors.concat(validate66.errors);
            errors = vErrors.length;
        }
    }
    if (data.regression_threshold_pct !== undefined) {
        let data7 = data.regression_threshold_pct;
        if ((typeof data7 == "number") && (isFinite(data7))) {
            if (data7 > 1000000000000000 || isNaN(data7)) {
                const err12 = { instancePath: instancePath + "/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema123, data: data7 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
            if (data7 < 0 || isNaN(data7)) {
                const err13 = { instancePath: instancePath + "/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema123, data: data7 };
                if (vErrors === null) {
                    vErrors = [err13];
                }
                else {
                    vErrors.push(err13);
                }
                errors++;
            }
        }
        else {
            const err14 = { instancePath: instancePath + "/regression_threshold_pct", schemaPath: "defs.schema.json#/$defs/magnitude/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema123.type, parentSchema: schema123, data: data7 };
            if (vErrors === null) {
                vErrors = [err14];
            }
            else {
                vErrors.push(err14);
            }
            errors++;
        }
    }
    if (data.reason !== undefined) {
        let data8 = data.reason;
        if (typeof data8 === "string") {
            if (func1(data8) > 4096) {
                const err15 = { instancePath: instancePath + "/reason", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                if (vErrors === null) {
                    vErrors = [err15];
                }
                else {
                    vErrors.push(err15);
                }
                errors++;
            }
        }
        else {
            const err16 = { instancePath: instancePath + "/reason", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
            if (vErrors === null) {
                vErrors = [err16];
            }
            else {
                vErrors.push(err16);
            }
            errors++;
        }
    }
    if (data.verdict !== undefined) {
        let data9 = data.verdict;
        if (!((((data9 === "regression") || (data9 === "improvement")) || (data9 === "unchanged")) || (data9 === "no_baseline"))) {
            const err17 = { instancePath: instancePath + "/verdict", schemaPath: "defs.schema.json#/$defs/benchmarkVerdict/enum", keyword: "enum", params: { allowedValues: schema109.enum }, message: "must be equal to one of the allowed values", schema: schema109.enum, parentSchema: schema109, data: data9 };
            if (vErrors === null) {
                vErrors = [err17];
            }
            else {
                vErrors.push(err17);
            }
            errors++;
        }
    }
    if (data.shifts !== undefined) {
        if (!(validate68(data.shifts, { instancePath: instancePath + "/shifts", parentData: data, parentDataProperty: "shifts", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate68.errors : vErrors.concat(validate68.errors);
            errors = vErrors.length;
        }
    }
    if (data.judge !== undefined) {
        if (!(validate71(data.judge, { instancePath: instancePath + "/judge", parentData: data, parentDataProperty: "judge", rootData, dynamicAnchors }))) {
            vErrors = vErrors === null ? validate71.errors : vErrors.concat(validate71.errors);
            errors = vErrors.length;
        }
    }
    if (data.confirmed !== undefined) {
        let data12 = data.confirmed;
        if (typeof data12 !== "boolean") {
            const err18 = { instancePath: instancePath + "/confirmed", schemaPath: "#/properties/confirmed/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema164.properties.confirmed.type, parentSchema: schema164.properties.confirmed, data: data12 };
            if (vErrors === null) {
                vErrors = [err18];
            }
            else {
                vErrors.push(err18);
            }
            errors++;
        }
    }
}
else {
    const err19 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema164.type, parentSchema: schema164, data };
    if (vErrors === null) {
        vErrors = [err19];
    }
    else {
        vErrors.push(err19);
    }
    errors++;
} validate62.errors = vErrors; return errors === 0; }
validate62.evaluated = { "props": { "schema_version": true, "commit": true, "status": true, "generated_at": true, "duration_seconds": true, "benchmarks": true, "baseline": true, "regression_threshold_pct": true, "reason": true, "verdict": true, "shifts": true, "judge": true, "confirmed": true }, "dynamicProps": false, "dynamicItems": false };
const validateMeta = validate73;
const schema189 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/meta.schema.json", "title": "meta.json (and <sha>/meta.json on the results branch), schema_version 1", "description": "Provenance of one run. Also accepts the flat meta.json that Mycelia's publisher writes (tests_status, benchmarks_status, coverage_percent).", "type": "object", "required": ["commit"], "properties": { "schema_version": { "const": 1 }, "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "branch": { "$ref": "defs.schema.json#/$defs/text" }, "tag": { "type": ["string", "null"], "maxLength": 4096 }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "scheduler": { "enum": ["slurm", "pbs", "lsf", "flux", "gitlab", "local"] }, "cluster": { "$ref": "defs.schema.json#/$defs/text" }, "partition": { "$ref": "defs.schema.json#/$defs/text" }, "account": { "$ref": "defs.schema.json#/$defs/text" }, "job_id": { "$ref": "defs.schema.json#/$defs/text" }, "pipeline_id": { "$ref": "defs.schema.json#/$defs/text" }, "node": { "$ref": "defs.schema.json#/$defs/text" }, "nodes": { "$ref": "defs.schema.json#/$defs/count" }, "cpus": { "$ref": "defs.schema.json#/$defs/count" }, "walltime_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "time_limit_seconds": { "$ref": "defs.schema.json#/$defs/seconds" }, "runtime_versions": { "type": "object", "propertyNames": { "$ref": "defs.schema.json#/$defs/name" }, "additionalProperties": { "$ref": "defs.schema.json#/$defs/text" } }, "flags": { "description": "Codecov flags the coverage of this run was uploaded under.", "type": "array", "maxItems": 64, "items": { "$ref": "defs.schema.json#/$defs/text" } }, "options": { "description": "The run's command-line options (for example --benchmarks-only).", "type": "array", "maxItems": 64, "items": { "$ref": "defs.schema.json#/$defs/text" } }, "tests_status": { "enum": ["passed", "failed", "skipped", "unknown"] }, "benchmarks_status": { "enum": ["passed", "failed", "skipped", "unknown"] }, "coverage_percent": { "type": ["number", "null"], "minimum": 0, "maximum": 100 }, "dirty": { "type": "boolean" }, "pushed": { "type": "boolean" } } };
function validate73(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/meta.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate73.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema189.required, parentSchema: schema189, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err1 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema189.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
    }
    if (data.commit !== undefined) {
        let data1 = data.commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err2 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err2];
                }
                else {
                    vErrors.push(err2);
                }
                errors++;
            }
        }
        else {
            const err3 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    if (data.branch !== undefined) {
        let data2 = data.branch;
        if (typeof data2 === "string") {
            if (func1(data2) > 4096) {
                const err4 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data2 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data2 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.tag !== undefined) {
        let data3 = data.tag;
        if ((typeof data3 !== "string") && (data3 !== null)) {
            const err6 = { instancePath: instancePath + "/tag", schemaPath: "#/properties/tag/type", keyword: "type", params: { type: schema189.properties.tag.type }, message: "must be string,null", schema: schema189.properties.tag.type, parentSchema: schema189.properties.tag, data: data3 };
            if (vErrors === null) {
                vErrors = [err6];
            }
            else {
                vErrors.push(err6);
            }
            errors++;
        }
        if (typeof data3 === "string") {
            if (func1(data3) > 4096) {
                const err7 = { instancePath: instancePath + "/tag", schemaPath: "#/properties/tag/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema189.properties.tag, data: data3 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
    }
    if (data.generated_at !== undefined) {
        let data4 = data.generated_at;
        if (typeof data4 === "string") {
            if (func1(data4) > 64) {
                const err8 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data4 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
            if (!(formats0.validate(data4))) {
                const err9 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data4 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
        }
        else {
            const err10 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data4 };
            if (vErrors === null) {
                vErrors = [err10];
            }
            else {
                vErrors.push(err10);
            }
            errors++;
        }
    }
    if (data.scheduler !== undefined) {
        let data5 = data.scheduler;
        if (!((((((data5 === "slurm") || (data5 === "pbs")) || (data5 === "lsf")) || (data5 === "flux")) || (data5 === "gitlab")) || (data5 === "local"))) {
            const err11 = { instancePath: instancePath + "/scheduler", schemaPath: "#/properties/scheduler/enum", keyword: "enum", params: { allowedValues: schema189.properties.scheduler.enum }, message: "must be equal to one of the allowed values", schema: schema189.properties.scheduler.enum, parentSchema: schema189.properties.scheduler, data: data5 };
            if (vErrors === null) {
                vErrors = [err11];
            }
            else {
                vErrors.push(err11);
            }
            errors++;
        }
    }
    if (data.cluster !== undefined) {
        let data6 = data.cluster;
        if (typeof data6 === "string") {
            if (func1(data6) > 4096) {
                const err12 = { instancePath: instancePath + "/cluster", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data6 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
        }
        else {
            const err13 = { instancePath: instancePath + "/cluster", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data6 };
            if (vErrors === null) {
                vErrors = [err13];
            }
            else {
                vErrors.push(err13);
            }
            errors++;
        }
    }
    if (data.partition !== undefined) {
        let data7 = data.partition;
        if (typeof data7 === "string") {
            if (func1(data7) > 4096) {
                const err14 = { instancePath: instancePath + "/partition", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data7 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
        else {
            const err15 = { instancePath: instancePath + "/partition", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data7 };
            if (vErrors === null) {
                vErrors = [err15];
            }
            else {
                vErrors.push(err15);
            }
            errors++;
        }
    }
    if (data.account !== undefined) {
        let data8 = data.account;
        if (typeof data8 === "string") {
            if (func1(data8) > 4096) {
                const err16 = { instancePath: instancePath + "/account", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
        }
        else {
            const err17 = { instancePath: instancePath + "/account", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
            if (vErrors === null) {
                vErrors = [err17];
            }
            else {
                vErrors.push(err17);
            }
            errors++;
        }
    }
    if (data.job_id !== undefined) {
        let data9 = data.job_id;
        if (typeof data9 === "string") {
            if (func1(data9) > 4096) {
                const err18 = { instancePath: instancePath + "/job_id", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data9 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
        }
        else {
            const err19 = { instancePath: instancePath + "/job_id", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data9 };
            if (vErrors === null) {
                vErrors = [err19];
            }
            else {
                vErrors.push(err19);
            }
            errors++;
        }
    }
    if (data.pipeline_id !== undefined) {
        let data10 = data.pipeline_id;
        if (typeof data10 === "string") {
            if (func1(data10) > 4096) {
                const err20 = { instancePath: instancePath + "/pipeline_id", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data10 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
        }
        else {
            const err21 = { instancePath: instancePath + "/pipeline_id", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data10 };
            if (vErrors === null) {
                vErrors = [err21];
            }
            else {
                vErrors.push(err21);
            }
            errors++;
        }
    }
    if (data.node !== undefined) {
        let data11 = data.node;
        if (typeof data11 === "string") {
            if (func1(data11) > 4096) {
                const err22 = { instancePath: instancePath + "/node", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data11 };
                if (vErrors === null) {
                    vErrors = [err22];
                }
                else {
                    vErrors.push(err22);
                }
                errors++;
            }
        }
        else {
            const err23 = { instancePath: instancePath + "/node", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data11 };
            if (vErrors === null) {
                vErrors = [err23];
            }
            else {
                vErrors.push(err23);
            }
            errors++;
        }
    }
    if (data.nodes !== undefined) {
        let data12 = data.nodes;
        if (!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))) {
            const err24 = { instancePath: instancePath + "/nodes", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data12 };
            if (vErrors === null) {
                vErrors = [err24];
            }
            else {
                vErrors.push(err24);
            }
            errors++;
        }
        if ((typeof data12 == "number") && (isFinite(data12))) {
            if (data12 > 9007199254740991 || isNaN(data12)) {
                const err25 = { instancePath: instancePath + "/nodes", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data12 };
                if (vErrors === null) {
                    vErrors = [err25];
                }
                else {
                    vErrors.push(err25);
                }
                errors++;
            }
            if (data12 < 0 || isNaN(data12)) {
                const err26 = { instancePath: instancePath + "/nodes", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data12 };
                if (vErrors === null) {
                    vErrors = [err26];
                }
                else {
                    vErrors.push(err26);
                }
                errors++;
            }
        }
    }
    if (data.cpus !== undefined) {
        let data13 = data.cpus;
        if (!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))) {
            const err27 = { instancePath: instancePath + "/cpus", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data13 };
            if (vErrors === null) {
                vErrors = [err27];
            }
            else {
                vErrors.push(err27);
            }
            errors++;
        }
        if ((typeof data13 == "number") && (isFinite(data13))) {
            if (data13 > 9007199254740991 || isNaN(data13)) {
                const err28 = { instancePath: instancePath + "/cpus", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data13 };
                if (vErrors === null) {
                    vErrors = [err28];
                }
                else {
                    vErrors.push(err28);
                }
                errors++;
            }
            if (data13 < 0 || isNaN(data13)) {
                const err29 = { instancePath: instancePath + "/cpus", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data13 };
                if (vErrors === null) {
                    vErrors = [err29];
                }
                else {
                    vErrors.push(err29);
                }
                errors++;
            }
        }
    }
    if (data.walltime_seconds !== undefined) {
        let data14 = data.walltime_seconds;
        if ((typeof data14 == "number") && (isFinite(data14))) {
            if (data14 > 315576000 || isNaN(data14)) {
                const err30 = { instancePath: instancePath + "/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data14 };
                if (vErrors === null) {
                    vErrors = [err30];
                }
                else {
                    vErrors.push(err30);
                }
                errors++;
            }
            if (data14 < 0 || isNaN(data14)) {
                const err31 = { instancePath: instancePath + "/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data14 };
                if (vErrors === null) {
                    vErrors = [err31];
                }
                else {
                    vErrors.push(err31);
                }
                errors++;
            }
        }
        else {
            const err32 = { instancePath: instancePath + "/walltime_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data14 };
            if (vErrors === null) {
                vErrors = [err32];
            }
            else {
                vErrors.push(err32);
            }
            errors++;
        }
    }
    if (data.time_limit_seconds !== undefined) {
        let data15 = data.time_limit_seconds;
        if ((typeof data15 == "number") && (isFinite(data15))) {
            if (data15 > 315576000 || isNaN(data15)) {
                const err33 = { instancePath: instancePath + "/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000 }, message: "must be <= 315576000", schema: 315576000, parentSchema: schema46, data: data15 };
                if (vErrors === null) {
                    vErrors = [err33];
                }
                else {
                    vErrors.push(err33);
                }
                errors++;
            }
            if (data15 < 0 || isNaN(data15)) {
                const err34 = { instancePath: instancePath + "/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema46, data: data15 };
                if (vErrors === null) {
                    vErrors = [err34];
                }
                else {
                    vErrors.push(err34);
                }
                errors++;
            }
        }
        else {
            const err35 = { instancePath: instancePath + "/time_limit_seconds", schemaPath: "defs.schema.json#/$defs/seconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema46.type, parentSchema: schema46, data: data15 };
            if (vErrors === null) {
                vErrors = [err35];
            }
            else {
                vErrors.push(err35);
            }
            errors++;
        }
    }
    if (data.runtime_versions !== undefined) {
        let data16 = data.runtime_versions;
        if (data16 && typeof data16 == "object" && !Array.isArray(data16)) {
            for (const key0 in data16) {
                const _errs46 = errors;
                if (typeof key0 === "string") {
                    if (func1(key0) > 512) {
                        const err36 = { instancePath: instancePath + "/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err36];
                        }
                        else {
                            vErrors.push(err36);
                        }
                        errors++;
                    }
                    if (func1(key0) < 1) {
                        const err37 = { instancePath: instancePath + "/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err37];
                        }
                        else {
                            vErrors.push(err37);
                        }
                        errors++;
                    }
                }
                else {
                    const err38 = { instancePath: instancePath + "/runtime_versions", schemaPath: "defs.schema.json#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
                    if (vErrors === null) {
                        vErrors = [err38];
                    }
                    else {
                        vErrors.push(err38);
                    }
                    errors++;
                }
                var valid14 = _errs46 === errors;
                if (!valid14) {
                    const err39 = { instancePath: instancePath + "/runtime_versions", schemaPath: "#/properties/runtime_versions/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema189.properties.runtime_versions.propertyNames, parentSchema: schema189.properties.runtime_versions, data: data16 };
                    if (vErrors === null) {
                        vErrors = [err39];
                    }
                    else {
                        vErrors.push(err39);
                    }
                    errors++;
                }
            }
            for (const key1 in data16) {
                let data17 = data16[key1];
                if (typeof data17 === "string") {
                    if (func1(data17) > 4096) {
                        const err40 = { instancePath: instancePath + "/runtime_versions/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data17 };
                        if (vErrors === null) {
                            vErrors = [err40];
                        }
                        else {
                            vErrors.push(err40);
                        }
                        errors++;
                    }
                }
                else {
                    const err41 = { instancePath: instancePath + "/runtime_versions/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data17 };
                    if (vErrors === null) {
                        vErrors = [err41];
                    }
                    else {
                        vErrors.push(err41);
                    }
                    errors++;
                }
            }
        }
        else {
            const err42 = { instancePath: instancePath + "/runtime_versions", schemaPath: "#/properties/runtime_versions/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema189.properties.runtime_versions.type, parentSchema: schema189.properties.runtime_versions, data: data16 };
            if (vErrors === null) {
                vErrors = [err42];
            }
            else {
                vErrors.push(err42);
            }
            errors++;
        }
    }
    if (data.flags !== undefined) {
        let data18 = data.flags;
        if (Array.isArray(data18)) {
            if (data18.length > 64) {
                const err43 = { instancePath: instancePath + "/flags", schemaPath: "#/properties/flags/maxItems", keyword: "maxItems", params: { limit: 64 }, message: "must NOT have more than 64 items", schema: 64, parentSchema: schema189.properties.flags, data: data18 };
                if (vErrors === null) {
                    vErrors = [err43];
                }
                else {
                    vErrors.push(err43);
                }
                errors++;
            }
            const len0 = data18.length;
            for (let i0 = 0; i0 < len0; i0++) {
                let data19 = data18[i0];
                if (typeof data19 === "string") {
                    if (func1(data19) > 4096) {
                        const err44 = { instancePath: instancePath + "/flags/" + i0, schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data19 };
                        if (vErrors === null) {
                            vErrors = [err44];
                        }
                        else {
                            vErrors.push(err44);
                        }
                        errors++;
                    }
                }
                else {
                    const err45 = { instancePath: instancePath + "/flags/" + i0, schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data19 };
                    if (vErrors === null) {
                        vErrors = [err45];
                    }
                    else {
                        vErrors.push(err45);
                    }
                    errors++;
                }
            }
        }
        else {
            const err46 = { instancePath: instancePath + "/flags", schemaPath: "#/properties/flags/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema189.properties.flags.type, parentSchema: schema189.properties.flags, data: data18 };
            if (vErrors === null) {
                vErrors = [err46];
            }
            else {
                vErrors.push(err46);
            }
            errors++;
        }
    }
    if (data.options !== undefined) {
        let data20 = data.options;
        if (Array.isArray(data20)) {
            if (data20.length > 64) {
                const err47 = { instancePath: instancePath + "/options", schemaPath: "#/properties/options/maxItems", keyword: "maxItems", params: { limit: 64 }, message: "must NOT have more than 64 items", schema: 64, parentSchema: schema189.properties.options, data: data20 };
                if (vErrors === null) {
                    vErrors = [err47];
                }
                else {
                    vErrors.push(err47);
                }
                errors++;
            }
            const len1 = data20.length;
            for (let i1 = 0; i1 < len1; i1++) {
                let data21 = data20[i1];
                if (typeof data21 === "string") {
                    if (func1(data21) > 4096) {
                        const err48 = { instancePath: instancePath + "/options/" + i1, schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data21 };
                        if (vErrors === null) {
                            vErrors = [err48];
                        }
                        else {
                            vErrors.push(err48);
                        }
                        errors++;
                    }
                }
                else {
                    const err49 = { instancePath: instancePath + "/options/" + i1, schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data21 };
                    if (vErrors === null) {
                        vErrors = [err49];
                    }
                    else {
                        vErrors.push(err49);
                    }
                    errors++;
                }
            }
        }
        else {
            const err50 = { instancePath: instancePath + "/options", schemaPath: "#/properties/options/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema189.properties.options.type, parentSchema: schema189.properties.options, data: data20 };
            if (vErrors === null) {
                vErrors = [err50];
            }
            else {
                vErrors.push(err50);
            }
            errors++;
        }
    }
    if (data.tests_status !== undefined) {
        let data22 = data.tests_status;
        if (!((((data22 === "passed") || (data22 === "failed")) || (data22 === "skipped")) || (data22 === "unknown"))) {
            const err51 = { instancePath: instancePath + "/tests_status", schemaPath: "#/properties/tests_status/enum", keyword: "enum", params: { allowedValues: schema189.properties.tests_status.enum }, message: "must be equal to one of the allowed values", schema: schema189.properties.tests_status.enum, parentSchema: schema189.properties.tests_status, data: data22 };
            if (vErrors === null) {
                vErrors = [err51];
            }
            else {
                vErrors.push(err51);
            }
            errors++;
        }
    }
    if (data.benchmarks_status !== undefined) {
        let data23 = data.benchmarks_status;
        if (!((((data23 === "passed") || (data23 === "failed")) || (data23 === "skipped")) || (data23 === "unknown"))) {
            const err52 = { instancePath: instancePath + "/benchmarks_status", schemaPath: "#/properties/benchmarks_status/enum", keyword: "enum", params: { allowedValues: schema189.properties.benchmarks_status.enum }, message: "must be equal to one of the allowed values", schema: schema189.properties.benchmarks_status.enum, parentSchema: schema189.properties.benchmarks_status, data: data23 };
            if (vErrors === null) {
                vErrors = [err52];
            }
            else {
                vErrors.push(err52);
            }
            errors++;
        }
    }
    if (data.coverage_percent !== undefined) {
        let data24 = data.coverage_percent;
        if ((!((typeof data24 == "number") && (isFinite(data24)))) && (data24 !== null)) {
            const err53 = { instancePath: instancePath + "/coverage_percent", schemaPath: "#/properties/coverage_percent/type", keyword: "type", params: { type: schema189.properties.coverage_percent.type }, message: "must be number,null", schema: schema189.properties.coverage_percent.type, parentSchema: schema189.properties.coverage_percent, data: data24 };
            if (vErrors === null) {
                vErrors = [err53];
            }
            else {
                vErrors.push(err53);
            }
            errors++;
        }
        if ((typeof data24 == "number") && (isFinite(data24))) {
            if (data24 > 100 || isNaN(data24)) {
                const err54 = { instancePath: instancePath + "/coverage_percent", schemaPath: "#/properties/coverage_percent/maximum", keyword: "maximum", params: { comparison: "<=", limit: 100 }, message: "must be <= 100", schema: 100, parentSchema: schema189.properties.coverage_percent, data: data24 };
                if (vErrors === null) {
                    vErrors = [err54];
                }
                else {
                    vErrors.push(err54);
                }
                errors++;
            }
            if (data24 < 0 || isNaN(data24)) {
                const err55 = { instancePath: instancePath + "/coverage_percent", schemaPath: "#/properties/coverage_percent/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema189.properties.coverage_percent, data: data24 };
                if (vErrors === null) {
                    vErrors = [err55];
                }
                else {
                    vErrors.push(err55);
                }
                errors++;
            }
        }
    }
    if (data.dirty !== undefined) {
        let data25 = data.dirty;
        if (typeof data25 !== "boolean") {
            const err56 = { instancePath: instancePath + "/dirty", schemaPath: "#/properties/dirty/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema189.properties.dirty.type, parentSchema: schema189.properties.dirty, data: data25 };
            if (vErrors === null) {
                vErrors = [err56];
            }
            else {
                vErrors.push(err56);
            }
            errors++;
        }
    }
    if (data.pushed !== undefined) {
        let data26 = data.pushed;
        if (typeof data26 !== "boolean") {
            const err57 = { instancePath: instancePath + "/pushed", schemaPath: "#/properties/pushed/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema189.properties.pushed.type, parentSchema: schema189.properties.pushed, data: data26 };
            if (vErrors === null) {
                vErrors = [err57];
            }
            else {
                vErrors.push(err57);
            }
            errors++;
        }
    }
}
else {
    const err58 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema189.type, parentSchema: schema189, data };
    if (vErrors === null) {
        vErrors = [err58];
    }
    else {
        vErrors.push(err58);
    }
    errors++;
} validate73.errors = vErrors; return errors === 0; }
validate73.evaluated = { "props": { "schema_version": true, "commit": true, "branch": true, "tag": true, "generated_at": true, "scheduler": true, "cluster": true, "partition": true, "account": true, "job_id": true, "pipeline_id": true, "node": true, "nodes": true, "cpus": true, "walltime_seconds": true, "time_limit_seconds": true, "runtime_versions": true, "flags": true, "options": true, "tests_status": true, "benchmarks_status": true, "coverage_percent": true, "dirty": true, "pushed": true }, "dynamicProps": false, "dynamicItems": false };
const validateShieldsEndpoint = validate74;
const schema207 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/shields-endpoint.schema.json", "title": "Shields.io endpoint badge JSON", "description": "The keys shields.io's endpoint badge accepts (services/endpoint-common.js of badges/shields); it rejects any other key. Strings other than label must not be empty; logoColor and logoSize need namedLogo; logoWidth and logoPosition need namedLogo or logoSvg. Shields also refuses namedLogo together with logoSvg.", "type": "object", "required": ["schemaVersion", "label", "message"], "additionalProperties": false, "properties": { "schemaVersion": { "const": 1 }, "label": { "type": "string" }, "message": { "type": "string", "minLength": 1 }, "color": { "type": "string", "minLength": 1 }, "labelColor": { "type": "string", "minLength": 1 }, "isError": { "type": "boolean" }, "namedLogo": { "type": "string", "minLength": 1 }, "logoSvg": { "type": "string", "minLength": 1 }, "logoColor": { "type": "string", "minLength": 1 }, "logoSize": { "type": "string", "minLength": 1 }, "logoWidth": { "type": "number", "minimum": -1000000000000000, "maximum": 1000000000000000 }, "logoPosition": { "type": "number", "minimum": -1000000000000000, "maximum": 1000000000000000 }, "style": { "type": "string", "minLength": 1 }, "cacheSeconds": { "type": "integer", "minimum": 0, "maximum": 9007199254740991 } }, "dependentRequired": { "logoColor": ["namedLogo"], "logoSize": ["namedLogo"] }, "dependentSchemas": { "logoWidth": { "anyOf": [{ "properties": { "namedLogo": true }, "required": ["namedLogo"] }, { "properties": { "logoSvg": true }, "required": ["logoSvg"] }] }, "logoPosition": { "anyOf": [{ "properties": { "namedLogo": true }, "required": ["namedLogo"] }, { "properties": { "logoSvg": true }, "required": ["logoSvg"] }] } } };
const func78 = Object.prototype.hasOwnProperty;
function validate74(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) {
    ;
    let vErrors = null;
    let errors = 0;
    const evaluated0 = validate74.evaluated;
    if (evaluated0.dynamicProps) {
        evaluated0.props = undefined;
    }
    if (evaluated0.dynamicItems) {
        evaluated0.items = undefined;
    }
    if (data && typeof data == "object" && !Array.isArray(data)) {
        if (data.schemaVersion === undefined) {
            const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schemaVersion" }, message: "must have required property '" + "schemaVersion" + "'", schema: schema207.required, parentSchema: schema207, data };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
        if (data.label === undefined) {
            const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "label" }, message: "must have required property '" + "label" + "'", schema: schema207.required, parentSchema: schema207, data };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
        if (data.message === undefined) {
            const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "message" }, message: "must have required property '" + "message" + "'", schema: schema207.required, parentSchema: schema207, data };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
        for (const key0 in data) {
            if (!(func78.call(schema207.properties, key0))) {
                const err3 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema207, data };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        if (data.schemaVersion !== undefined) {
            let data0 = data.schemaVersion;
            if (1 !== data0) {
                const err4 = { instancePath: instancePath + "/schemaVersion", schemaPath: "#/properties/schemaVersion/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema207.properties.schemaVersion, data: data0 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        if (data.label !== undefined) {
            let data1 = data.label;
            if (typeof data1 !== "string") {
                const err5 = { instancePath: instancePath + "/label", schemaPath: "#/properties/label/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.label.type, parentSchema: schema207.properties.label, data: data1 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
        }
        if (data.message !== undefined) {
            let data2 = data.message;
            if (typeof data2 === "string") {
                if (func1(data2) < 1) {
                    const err6 = { instancePath: instancePath + "/message", schemaPath: "#/properties/message/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.message, data: data2 };
                    if (vErrors === null) {
                        vErrors = [err6];
                    }
                    else {
                        vErrors.push(err6);
                    }
                    errors++;
                }
            }
            else {
                const err7 = { instancePath: instancePath + "/message", schemaPath: "#/properties/message/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.message.type, parentSchema: schema207.properties.message, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        if (data.color !== undefined) {
            let data3 = data.color;
            if (typeof data3 === "string") {
                if (func1(data3) < 1) {
                    const err8 = { instancePath: instancePath + "/color", schemaPath: "#/properties/color/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.color, data: data3 };
                    if (vErrors === null) {
                        vErrors = [err8];
                    }
                    else {
                        vErrors.push(err8);
                    }
                    errors++;
                }
            }
            else {
                const err9 = { instancePath: instancePath + "/color", schemaPath: "#/properties/color/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.color.type, parentSchema: schema207.properties.color, data: data3 };
                if (vErrors === null) {
                    vErrors = [err9];
                }
                else {
                    vErrors.push(err9);
                }
                errors++;
            }
        }
        if (data.labelColor !== undefined) {
            let data4 = data.labelColor;
            if (typeof data4 === "string") {
                if (func1(data4) < 1) {
                    const err10 = { instancePath: instancePath + "/labelColor", schemaPath: "#/properties/labelColor/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.labelColor, data: data4 };
                    if (vErrors === null) {
                        vErrors = [err10];
                    }
                    else {
                        vErrors.push(err10);
                    }
                    errors++;
                }
            }
            else {
                const err11 = { instancePath: instancePath + "/labelColor", schemaPath: "#/properties/labelColor/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.labelColor.type, parentSchema: schema207.properties.labelColor, data: data4 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
        }
        if (data.isError !== undefined) {
            let data5 = data.isError;
            if (typeof data5 !== "boolean") {
                const err12 = { instancePath: instancePath + "/isError", schemaPath: "#/properties/isError/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema207.properties.isError.type, parentSchema: schema207.properties.isError, data: data5 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
        }
        if (data.namedLogo !== undefined) {
            let data6 = data.namedLogo;
            if (typeof data6 === "string") {
                if (func1(data6) < 1) {
                    const err13 = { instancePath: instancePath + "/namedLogo", schemaPath: "#/properties/namedLogo/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.namedLogo, data: data6 };
                    if (vErrors === null) {
                        vErrors = [err13];
                    }
                    else {
                        vErrors.push(err13);
                    }
                    errors++;
                }
            }
            else {
                const err14 = { instancePath: instancePath + "/namedLogo", schemaPath: "#/properties/namedLogo/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.namedLogo.type, parentSchema: schema207.properties.namedLogo, data: data6 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
        }
        if (data.logoSvg !== undefined) {
            let data7 = data.logoSvg;
            if (typeof data7 === "string") {
                if (func1(data7) < 1) {
                    const err15 = { instancePath: instancePath + "/logoSvg", schemaPath: "#/properties/logoSvg/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.logoSvg, data: data7 };
                    if (vErrors === null) {
                        vErrors = [err15];
                    }
                    else {
                        vErrors.push(err15);
                    }
                    errors++;
                }
            }
            else {
                const err16 = { instancePath: instancePath + "/logoSvg", schemaPath: "#/properties/logoSvg/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.logoSvg.type, parentSchema: schema207.properties.logoSvg, data: data7 };
                if (vErrors === null) {
                    vErrors = [err16];
                }
                else {
                    vErrors.push(err16);
                }
                errors++;
            }
        }
        if (data.logoColor !== undefined) {
            let data8 = data.logoColor;
            if (typeof data8 === "string") {
                if (func1(data8) < 1) {
                    const err17 = { instancePath: instancePath + "/logoColor", schemaPath: "#/properties/logoColor/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.logoColor, data: data8 };
                    if (vErrors === null) {
                        vErrors = [err17];
                    }
                    else {
                        vErrors.push(err17);
                    }
                    errors++;
                }
            }
            else {
                const err18 = { instancePath: instancePath + "/logoColor", schemaPath: "#/properties/logoColor/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.logoColor.type, parentSchema: schema207.properties.logoColor, data: data8 };
                if (vErrors === null) {
                    vErrors = [err18];
                }
                else {
                    vErrors.push(err18);
                }
                errors++;
            }
        }
        if (data.logoSize !== undefined) {
            let data9 = data.logoSize;
            if (typeof data9 === "string") {
                if (func1(data9) < 1) {
                    const err19 = { instancePath: instancePath + "/logoSize", schemaPath: "#/properties/logoSize/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.logoSize, data: data9 };
                    if (vErrors === null) {
                        vErrors = [err19];
                    }
                    else {
                        vErrors.push(err19);
                    }
                    errors++;
                }
            }
            else {
                const err20 = { instancePath: instancePath + "/logoSize", schemaPath: "#/properties/logoSize/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.logoSize.type, parentSchema: schema207.properties.logoSize, data: data9 };
                if (vErrors === null) {
                    vErrors = [err20];
                }
                else {
                    vErrors.push(err20);
                }
                errors++;
            }
        }
        if (data.logoWidth !== undefined) {
            let data10 = data.logoWidth;
            if ((typeof data10 == "number") && (isFinite(data10))) {
                if (data10 > 1000000000000000 || isNaN(data10)) {
                    const err21 = { instancePath: instancePath + "/logoWidth", schemaPath: "#/properties/logoWidth/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema207.properties.logoWidth, data: data10 };
                    if (vErrors === null) {
                        vErrors = [err21];
                    }
                    else {
                        vErrors.push(err21);
                    }
                    errors++;
                }
                if (data10 < -1000000000000000 || isNaN(data10)) {
                    const err22 = { instancePath: instancePath + "/logoWidth", schemaPath: "#/properties/logoWidth/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema207.properties.logoWidth, data: data10 };
                    if (vErrors === null) {
                        vErrors = [err22];
                    }
                    else {
                        vErrors.push(err22);
                    }
                    errors++;
                }
            }
            else {
                const err23 = { instancePath: instancePath + "/logoWidth", schemaPath: "#/properties/logoWidth/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema207.properties.logoWidth.type, parentSchema: schema207.properties.logoWidth, data: data10 };
                if (vErrors === null) {
                    vErrors = [err23];
                }
                else {
                    vErrors.push(err23);
                }
                errors++;
            }
        }
        if (data.logoPosition !== undefined) {
            let data11 = data.logoPosition;
            if ((typeof data11 == "number") && (isFinite(data11))) {
                if (data11 > 1000000000000000 || isNaN(data11)) {
                    const err24 = { instancePath: instancePath + "/logoPosition", schemaPath: "#/properties/logoPosition/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema207.properties.logoPosition, data: data11 };
                    if (vErrors === null) {
                        vErrors = [err24];
                    }
                    else {
                        vErrors.push(err24);
                    }
                    errors++;
                }
                if (data11 < -1000000000000000 || isNaN(data11)) {
                    const err25 = { instancePath: instancePath + "/logoPosition", schemaPath: "#/properties/logoPosition/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema207.properties.logoPosition, data: data11 };
                    if (vErrors === null) {
                        vErrors = [err25];
                    }
                    else {
                        vErrors.push(err25);
                    }
                    errors++;
                }
            }
            else {
                const err26 = { instancePath: instancePath + "/logoPosition", schemaPath: "#/properties/logoPosition/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema207.properties.logoPosition.type, parentSchema: schema207.properties.logoPosition, data: data11 };
                if (vErrors === null) {
                    vErrors = [err26];
                }
                else {
                    vErrors.push(err26);
                }
                errors++;
            }
        }
        if (data.style !== undefined) {
            let data12 = data.style;
            if (typeof data12 === "string") {
                if (func1(data12) < 1) {
                    const err27 = { instancePath: instancePath + "/style", schemaPath: "#/properties/style/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema207.properties.style, data: data12 };
                    if (vErrors === null) {
                        vErrors = [err27];
                    }
                    else {
                        vErrors.push(err27);
                    }
                    errors++;
                }
            }
            else {
                const err28 = { instancePath: instancePath + "/style", schemaPath: "#/properties/style/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema207.properties.style.type, parentSchema: schema207.properties.style, data: data12 };
                if (vErrors === null) {
                    vErrors = [err28];
                }
                else {
                    vErrors.push(err28);
                }
                errors++;
            }
        }
        if (data.cacheSeconds !== undefined) {
            let data13 = data.cacheSeconds;
            if (!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))) {
                const err29 = { instancePath: instancePath + "/cacheSeconds", schemaPath: "#/properties/cacheSeconds/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema207.properties.cacheSeconds.type, parentSchema: schema207.properties.cacheSeconds, data: data13 };
                if (vErrors === null) {
                    vErrors = [err29];
                }
                else {
                    vErrors.push(err29);
                }
                errors++;
            }
            if ((typeof data13 == "number") && (isFinite(data13))) {
                if (data13 > 9007199254740991 || isNaN(data13)) {
                    const err30 = { instancePath: instancePath + "/cacheSeconds", schemaPath: "#/properties/cacheSeconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema207.properties.cacheSeconds, data: data13 };
                    if (vErrors === null) {
                        vErrors = [err30];
                    }
                    else {
                        vErrors.push(err30);
                    }
                    errors++;
                }
                if (data13 < 0 || isNaN(data13)) {
                    const err31 = { instancePath: instancePath + "/cacheSeconds", schemaPath: "#/properties/cacheSeconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema207.properties.cacheSeconds, data: data13 };
                    if (vErrors === null) {
                        vErrors = [err31];
                    }
                    else {
                        vErrors.push(err31);
                    }
                    errors++;
                }
            }
        }
        if (data.logoColor !== undefined) {
            if (data.namedLogo === undefined) {
                const err32 = { instancePath, schemaPath: "#/dependentRequired", keyword: "dependentRequired", params: { property: "logoColor",
                        missingProperty: "namedLogo",
                        depsCount: 1,
                        deps: "namedLogo" }, message: "must have property namedLogo when property logoColor is present", schema: schema207.dependentRequired, parentSchema: schema207, data };
                if (vErrors === null) {
                    vErrors = [err32];
                }
                else {
                    vErrors.push(err32);
                }
                errors++;
            }
        }
        if (data.logoSize !== undefined) {
            if (data.namedLogo === undefined) {
                const err33 = { instancePath, schemaPath: "#/dependentRequired", keyword: "dependentRequired", params: { property: "logoSize",
                        missingProperty: "namedLogo",
                        depsCount: 1,
                        deps: "namedLogo" }, message: "must have property namedLogo when property logoSize is present", schema: schema207.dependentRequired, parentSchema: schema207, data };
                if (vErrors === null) {
                    vErrors = [err33];
                }
                else {
                    vErrors.push(err33);
                }
                errors++;
            }
        }
        if (data.logoWidth !== undefined) {
            const _errs30 = errors;
            let valid2 = false;
            const _errs31 = errors;
            if (data && typeof data == "object" && !Array.isArray(data)) {
                if (data.namedLogo === undefined) {
                    const err34 = { instancePath, schemaPath: "#/dependentSchemas/logoWidth/anyOf/0/required", keyword: "required", params: { missingProperty: "namedLogo" }, message: "must have required property '" + "namedLogo" + "'", schema: schema207.dependentSchemas.logoWidth.anyOf[0].required, parentSchema: schema207.dependentSchemas.logoWidth.anyOf[0], data };
                    if (vErrors === null) {
                        vErrors = [err34];
                    }
                    else {
                        vErrors.push(err34);
                    }
                    errors++;
                }
            }
            var _valid0 = _errs31 === errors;
            valid2 = valid2 || _valid0;
            if (_valid0) {
                var props0 = {};
                props0.namedLogo = true;
            }
            const _errs32 = errors;
            if (data && typeof data == "object" && !Array.isArray(data)) {
                if (data.logoSvg === undefined) {
                    const err35 = { instancePath, schemaPath: "#/dependentSchemas/logoWidth/anyOf/1/required", keyword: "required", params: { missingProperty: "logoSvg" }, message: "must have required property '" + "logoSvg" + "'", schema: schema207.dependentSchemas.logoWidth.anyOf[1].required, parentSchema: schema207.dependentSchemas.logoWidth.anyOf[1], data };
                    if (vErrors === null) {
                        vErrors = [err35];
                    }
                    else {
                        vErrors.push(err35);
                    }
                    errors++;
                }
            }
            var _valid0 = _errs32 === errors;
            valid2 = valid2 || _valid0;
            if (_valid0) {
                if (props0 !== true) {
                    props0 = props0 || {};
                    props0.logoSvg = true;
                }
            }
            if (!valid2) {
                const err36 = { instancePath, schemaPath: "#/dependentSchemas/logoWidth/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema207.dependentSchemas.logoWidth.anyOf, parentSchema: schema207.dependentSchemas.logoWidth, data };
                if (vErrors === null) {
                    vErrors = [err36];
                }
                else {
                    vErrors.push(err36);
                }
                errors++;
            }
            else {
                errors = _errs30;
                if (vErrors !== null) {
                    if (_errs30) {
                        vErrors.length = _errs30;
                    }
                    else {
                        vErrors = null;
                    }
                }
            }
        }
        if (data.logoPosition !== undefined) {
            const _errs34 = errors;
            let valid3 = false;
            const _errs35 = errors;
            if (data && typeof data == "object" && !Array.isArray(data)) {
                if (data.namedLogo === undefined) {
                    const err37 = { instancePath, schemaPath: "#/dependentSchemas/logoPosition/anyOf/0/required", keyword: "required", params: { missingProperty: "namedLogo" }, message: "must have required property '" + "namedLogo" + "'", schema: schema207.dependentSchemas.logoPosition.anyOf[0].required, parentSchema: schema207.dependentSchemas.logoPosition.anyOf[0], data };
                    if (vErrors === null) {
                        vErrors = [err37];
                    }
                    else {
                        vErrors.push(err37);
                    }
                    errors++;
                }
            }
            var _valid1 = _errs35 === errors;
            valid3 = valid3 || _valid1;
            if (_valid1) {
                var props1 = {};
                props1.namedLogo = true;
            }
            const _errs36 = errors;
            if (data && typeof data == "object" && !Array.isArray(data)) {
                if (data.logoSvg === undefined) {
                    const err38 = { instancePath, schemaPath: "#/dependentSchemas/logoPosition/anyOf/1/required", keyword: "required", params: { missingProperty: "logoSvg" }, message: "must have required property '" + "logoSvg" + "'", schema: schema207.dependentSchemas.logoPosition.anyOf[1].required, parentSchema: schema207.dependentSchemas.logoPosition.anyOf[1], data };
                    if (vErrors === null) {
                        vErrors = [err38];
                    }
                    else {
                        vErrors.push(err38);
                    }
                    errors++;
                }
            }
            var _valid1 = _errs36 === errors;
            valid3 = valid3 || _valid1;
            if (_valid1) {
                if (props1 !== true) {
                    props1 = props1 || {};
                    props1.logoSvg = true;
                }
            }
            if (!valid3) {
                const err39 = { instancePath, schemaPath: "#/dependentSchemas/logoPosition/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema207.dependentSchemas.logoPosition.anyOf, parentSchema: schema207.dependentSchemas.logoPosition, data };
                if (vErrors === null) {
                    vErrors = [err39];
                }
                else {
                    vErrors.push(err39);
                }
                errors++;
            }
            else {
                errors = _errs34;
                if (vErrors !== null) {
                    if (_errs34) {
                        vErrors.length = _errs34;
                    }
                    else {
                        vErrors = null;
                    }
                }
            }
        }
    }
    else {
        const err40 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema207.type, parentSchema: schema207, data };
        if (vErrors === null) {
            vErrors = [err40];
        }
        else {
            vErrors.push(err40);
        }
        errors++;
    }
    validate74.errors = vErrors;
    return errors === 0;
}
validate74.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
const validateConfig = validate75;
const schema208 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/hpc-ci-config.schema.json", "title": ".hpc-ci.json: configuration of the HPC CLI", "description": "Optional file at the repository root. Every field has a default that fits a Julia package; flags and environment variables override it.", "type": "object", "additionalProperties": false, "$defs": { "resultsSource": { "description": "A results file, folder or glob; as an object, with the github-action-benchmark tool of a [{name, unit, value}] list (which way is better; customSmallerIsBetter by default).", "oneOf": [{ "type": "string", "minLength": 1, "maxLength": 4096 }, { "type": "object", "additionalProperties": false, "required": ["path"], "properties": { "path": { "type": "string", "minLength": 1, "maxLength": 4096 }, "tool": { "enum": ["customSmallerIsBetter", "customBiggerIsBetter"] } } }] }, "command": { "description": "A command: an argument list (run directly) or a string (run by /bin/sh -c).", "oneOf": [{ "type": "string", "minLength": 1 }, { "type": "array", "minItems": 1, "items": { "type": "string" } }] }, "env": { "type": "object", "additionalProperties": { "type": "string" } } }, "properties": { "$schema": { "type": "string" }, "cluster": { "type": "string", "description": "Logical cluster name; HPC_CLUSTER_NAME wins." }, "env": { "$ref": "#/$defs/env", "description": "Variables given to every command." }, "tests": { "type": "object", "additionalProperties": false, "properties": { "command": { "$ref": "#/$defs/command" }, "junit": { "type": "string", "description": "JUnit XML file the command writes, read for suites and counts." }, "env": { "$ref": "#/$defs/env" }, "timeout_minutes": { "type": "number", "exclusiveMinimum": 0, "maximum": 5259600 } } }, "coverage": { "type": "object", "additionalProperties": false, "properties": { "enabled": { "type": "boolean" }, "dirs": { "type": "array", "items": { "type": "string" }, "description": "Folders with Julia .cov files (default src, ext)." }, "lcov": { "type": "string", "description": "An lcov file written by the test command (any language); used instead of .cov files." }, "flag": { "type": "string", "description": "Codecov flag; HPC_CODECOV_FLAG wins (default hpc-extended)." }, "codecov": { "type": "boolean", "description": "Upload to Codecov when a token is available (default true)." } } }, "benchmarks": { "type": "object", "additionalProperties": false, "properties": { "enabled": { "type": "boolean" }, "commands": { "type": "array", "items": { "$ref": "#/$defs/command" } }, "results": { "description": "Where the commands write their results: a file, a folder (its *.json files), a glob (*, ?, **), or a list of them. Only files written by this run's commands are read; none is ever deleted. Formats: BenchmarkTools JSON, PkgBenchmark JSON, Mycelia's save_benchmark_results JSON (both shapes), or [{name, unit, value}]. Default: $HPC_CI_BENCHMARK_RESULTS; for Mycelia also benchmarking/results/ and results/.", "anyOf": [{ "$ref": "#/$defs/resultsSource" }, { "type": "array", "minItems": 1, "maxItems": 100, "items": { "$ref": "#/$defs/resultsSource" } }] }, "env": { "$ref": "#/$defs/env" }, "threshold_pct": { "type": "number", "minimum": 0, "maximum": 1000000000000000, "description": "Legacy: before the judge, a slowdown past this was a regression. Now the judge's floor_pct when judge.floor_pct is not set." }, "judge": { "type": "object", "additionalProperties": false, "description": "The benchmark judge (README, Judging benchmarks). HPC_BENCH_* variables and --bench-* flags of the operator win over these.", "properties": { "floor_pct": { "type": "number", "minimum": 0, "maximum": 1000000000000000, "description": "Narrowest time band in percent (default 5)." }, "cap_pct": { "type": "number", "minimum": 0, "maximum": 1000000000000000, "description": "Widest time band in percent (default 100)." }, "min_history": { "type": "integer", "minimum": 1, "maximum": 100000, "description": "Default-branch runs needed before time can fail a run (default 5)." }, "history_limit": { "type": "integer", "minimum": 1, "maximum": 100, "description": "Newest default-branch runs used (default 100)." }, "tolerance_pct": { "type": "number", "minimum": 0, "maximum": 1000000000000000, "description": "Allocations and memory: an increase past this is a regression (default 1)." } } }, "confirm": { "type": "boolean", "description": "When a regression is found and walltime permits, rerun the benchmarks once and keep only regressions seen twice (default false; HPC_BENCH_CONFIRM wins)." }, "baseline_branch": { "type": "string", "description": "Source branch whose newest published run is the baseline (default: the repository's main branch name found on the results branch, else main)." }, "reserve_minutes": { "type": "number", "minimum": 0, "maximum": 5259600, "description": "Skip benchmarks when the job has less time left than this (default 15)." }, "timeout_minutes": { "type": "number", "exclusiveMinimum": 0, "maximum": 5259600 } } }, "results": { "type": "object", "additionalProperties": false, "properties": { "dir": { "type": "string" }, "branch": { "type": "string", "description": "Ignored, with a warning: the commit under test does not choose where results go. The operator sets it: HPC_RESULTS_BRANCH or results.branch in the operator's config (HPC_CI_OPERATOR_CONFIG)." }, "remote": { "type": "string", "description": "Ignored, with a warning: the commit under test does not choose where results go. The operator sets it: HPC_RESULTS_REMOTE, HPC_RESULTS_REPO_URL or the operator's config." }, "repository": { "type": "string", "pattern": "^[\\w.-]+/[\\w.-]+$", "description": "Ignored, with a warning: the commit under test does not choose where results go. The operator sets it: HPC_RESULTS_REPOSITORY_SLUG or the operator's config." }, "publish": { "type": "boolean" } } }, "slurm": { "type": "object", "additionalProperties": false, "properties": { "job_name": { "type": "string" }, "partition": { "type": "string" }, "account": { "type": "string" }, "qos": { "type": "string" }, "time": { "type": "string", "pattern": "^(\\d+-)?\\d+(:\\d+){0,2}$" }, "nodes": { "type": "integer", "minimum": 1, "maximum": 9007199254740991 }, "ntasks": { "type": "integer", "minimum": 1, "maximum": 9007199254740991 }, "cpus_per_task": { "type": "integer", "minimum": 1, "maximum": 9007199254740991 }, "mem": { "type": "string" }, "gres": { "type": "string" }, "constraint": { "type": "string" }, "output": { "type": "string" }, "extra": { "type": "array", "items": { "type": "string", "pattern": "^--" } }, "setup": { "type": "array", "items": { "type": "string" }, "description": "Shell lines run before the CLI (module load ...)." } } } } };
const schema209 = { "type": "object", "additionalProperties": { "type": "string" } };
const schema210 = { "description": "A command: an argument list (run directly) or a string (run by /bin/sh -c).", "oneOf": [{ "type": "string", "minLength": 1 }, { "type": "array", "minItems": 1, "items": { "type": "string" } }] };
const schema213 = { "description": "A results file, folder or glob; as an object, with the github-action-benchmark tool of a [{name, unit, value}] list (which way is better; customSmallerIsBetter by default).", "oneOf": [{ "type": "string", "minLength": 1, "maxLength": 4096 }, { "type": "object", "additionalProperties": false, "required": ["path"], "properties": { "path": { "type": "string", "minLength": 1, "maxLength": 4096 }, "tool": { "enum": ["customSmallerIsBetter", "customBiggerIsBetter"] } } }] };
const pattern12 = new RegExp("^[\\w.-]+/[\\w.-]+$", "u");
const pattern13 = new RegExp("^(\\d+-)?\\d+(:\\d+){0,2}$", "u");
const pattern14 = new RegExp("^--", "u");
function validate75(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/hpc-ci-config.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate75.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    for (const key0 in data) {
        if (!((((((((key0 === "$schema") || (key0 === "cluster")) || (key0 === "env")) || (key0 === "tests")) || (key0 === "coverage")) || (key0 === "benchmarks")) || (key0 === "results")) || (key0 === "slurm"))) {
            const err0 = { instancePath, schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208, data };
            if (vErrors === null) {
                vErrors = [err0];
            }
            else {
                vErrors.push(err0);
            }
            errors++;
        }
    }
    if (data.$schema !== undefined) {
        let data0 = data.$schema;
        if (typeof data0 !== "string") {
            const err1 = { instancePath: instancePath + "/$schema", schemaPath: "#/properties/%24schema/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.$schema.type, parentSchema: schema208.properties.$schema, data: data0 };
            if (vErrors === null) {
                vErrors = [err1];
            }
            else {
                vErrors.push(err1);
            }
            errors++;
        }
    }
    if (data.cluster !== undefined) {
        let data1 = data.cluster;
        if (typeof data1 !== "string") {
            const err2 = { instancePath: instancePath + "/cluster", schemaPath: "#/properties/cluster/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.cluster.type, parentSchema: schema208.properties.cluster, data: data1 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.env !== undefined) {
        let data2 = data.env;
        if (data2 && typeof data2 == "object" && !Array.isArray(data2)) {
            for (const key1 in data2) {
                let data3 = data2[key1];
                if (typeof data3 !== "string") {
                    const err3 = { instancePath: instancePath + "/env/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/env/additionalProperties/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema209.additionalProperties.type, parentSchema: schema209.additionalProperties, data: data3 };
                    if (vErrors === null) {
                        vErrors = [err3];
                    }
                    else {
                        vErrors.push(err3);
                    }
                    errors++;
                }
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/env", schemaPath: "#/$defs/env/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema209.type, parentSchema: schema209, data: data2 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.tests !== undefined) {
        let data4 = data.tests;
        if (data4 && typeof data4 == "object" && !Array.isArray(data4)) {
            for (const key2 in data4) {
                if (!((((key2 === "command") || (key2 === "junit")) || (key2 === "env")) || (key2 === "timeout_minutes"))) {
                    const err5 = { instancePath: instancePath + "/tests", schemaPath: "#/properties/tests/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.tests, data: data4 };
                    if (vErrors === null) {
                        vErrors = [err5];
                    }
                    else {
                        vErrors.push(err5);
                    }
                    errors++;
                }
            }
            if (data4.command !== undefined) {
                let data5 = data4.command;
                const _errs17 = errors;
                let valid5 = false;
                let passing0 = null;
                const _errs18 = errors;
                if (typeof data5 === "string") {
                    if (func1(data5) < 1) {
                        const err6 = { instancePath: instancePath + "/tests/command", schemaPath: "#/$defs/command/oneOf/0/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema210.oneOf[0], data: data5 };
                        if (vErrors === null) {
                            vErrors = [err6];
                        }
                        else {
                            vErrors.push(err6);
                        }
                        errors++;
                    }
                }
                else {
                    const err7 = { instancePath: instancePath + "/tests/command", schemaPath: "#/$defs/command/oneOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema210.oneOf[0].type, parentSchema: schema210.oneOf[0], data: data5 };
                    if (vErrors === null) {
                        vErrors = [err7];
                    }
                    else {
                        vErrors.push(err7);
                    }
                    errors++;
                }
                var _valid0 = _errs18 === errors;
                if (_valid0) {
                    valid5 = true;
                    passing0 = 0;
                }
                const _errs20 = errors;
                if (Array.isArray(data5)) {
                    if (data5.length < 1) {
                        const err8 = { instancePath: instancePath + "/tests/command", schemaPath: "#/$defs/command/oneOf/1/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema210.oneOf[1], data: data5 };
                        if (vErrors === null) {
                            vErrors = [err8];
                        }
                        else {
                            vErrors.push(err8);
                        }
                        errors++;
                    }
                    const len0 = data5.length;
                    for (let i0 = 0; i0 < len0; i0++) {
                        let data6 = data5[i0];
                        if (typeof data6 !== "string") {
                            const err9 = { instancePath: instancePath + "/tests/command/" + i0, schemaPath: "#/$defs/command/oneOf/1/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema210.oneOf[1].items.type, parentSchema: schema210.oneOf[1].items, data: data6 };
                            if (vErrors === null) {
                                vErrors = [err9];
                            }
                            else {
                                vErrors.push(err9);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err10 = { instancePath: instancePath + "/tests/command", schemaPath: "#/$defs/command/oneOf/1/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema210.oneOf[1].type, parentSchema: schema210.oneOf[1], data: data5 };
                    if (vErrors === null) {
                        vErrors = [err10];
                    }
                    else {
                        vErrors.push(err10);
                    }
                    errors++;
                }
                var _valid0 = _errs20 === errors;
                if (_valid0 && valid5) {
                    valid5 = false;
                    passing0 = [passing0, 1];
                }
                else {
                    if (_valid0) {
                        valid5 = true;
                        passing0 = 1;
                    }
                }
                if (!valid5) {
                    const err11 = { instancePath: instancePath + "/tests/command", schemaPath: "#/$defs/command/oneOf", keyword: "oneOf", params: { passingSchemas: passing0 }, message: "must match exactly one schema in oneOf", schema: schema210.oneOf, parentSchema: schema210, data: data5 };
                    if (vErrors === null) {
                        vErrors = [err11];
                    }
                    else {
                        vErrors.push(err11);
                    }
                    errors++;
                }
                else {
                    errors = _errs17;
                    if (vErrors !== null) {
                        if (_errs17) {
                            vErrors.length = _errs17;
                        }
                        else {
                            vErrors = null;
                        }
                    }
                }
            }
            if (data4.junit !== undefined) {
                let data7 = data4.junit;
                if (typeof data7 !== "string") {
                    const err12 = { instancePath: instancePath + "/tests/junit", schemaPath: "#/properties/tests/properties/junit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.tests.properties.junit.type, parentSchema: schema208.properties.tests.properties.junit, data: data7 };
                    if (vErrors === null) {
                        vErrors = [err12];
                    }
                    else {
                        vErrors.push(err12);
                    }
                    errors++;
                }
            }
            if (data4.env !== undefined) {
                let data8 = data4.env;
                if (data8 && typeof data8 == "object" && !Array.isArray(data8)) {
                    for (const key3 in data8) {
                        let data9 = data8[key3];
                        if (typeof data9 !== "string") {
                            const err13 = { instancePath: instancePath + "/tests/env/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/env/additionalProperties/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema209.additionalProperties.type, parentSchema: schema209.additionalProperties, data: data9 };
                            if (vErrors === null) {
                                vErrors = [err13];
                            }
                            else {
                                vErrors.push(err13);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err14 = { instancePath: instancePath + "/tests/env", schemaPath: "#/$defs/env/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema209.type, parentSchema: schema209, data: data8 };
                    if (vErrors === null) {
                        vErrors = [err14];
                    }
                    else {
                        vErrors.push(err14);
                    }
                    errors++;
                }
            }
            if (data4.timeout_minutes !== undefined) {
                let data10 = data4.timeout_minutes;
                if ((typeof data10 == "number") && (isFinite(data10))) {
                    if (data10 > 5259600 || isNaN(data10)) {
                        const err15 = { instancePath: instancePath + "/tests/timeout_minutes", schemaPath: "#/properties/tests/properties/timeout_minutes/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5259600 }, message: "must be <= 5259600", schema: 5259600, parentSchema: schema208.properties.tests.properties.timeout_minutes, data: data10 };
                        if (vErrors === null) {
                            vErrors = [err15];
                        }
                        else {
                            vErrors.push(err15);
                        }
                        errors++;
                    }
                    if (data10 <= 0 || isNaN(data10)) {
                        const err16 = { instancePath: instancePath + "/tests/timeout_minutes", schemaPath: "#/properties/tests/properties/timeout_minutes/exclusiveMinimum", keyword: "exclusiveMinimum", params: { comparison: ">", limit: 0 }, message: "must be > 0", schema: 0, parentSchema: schema208.properties.tests.properties.timeout_minutes, data: data10 };
                        if (vErrors === null) {
                            vErrors = [err16];
                        }
                        else {
                            vErrors.push(err16);
                        }
                        errors++;
                    }
                }
                else {
                    const err17 = { instancePath: instancePath + "/tests/timeout_minutes", schemaPath: "#/properties/tests/properties/timeout_minutes/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.tests.properties.timeout_minutes.type, parentSchema: schema208.properties.tests.properties.timeout_minutes, data: data10 };
                    if (vErrors === null) {
                        vErrors = [err17];
                    }
                    else {
                        vErrors.push(err17);
                    }
                    errors++;
                }
            }
        }
        else {
            const err18 = { instancePath: instancePath + "/tests", schemaPath: "#/properties/tests/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.tests.type, parentSchema: schema208.properties.tests, data: data4 };
            if (vErrors === null) {
                vErrors = [err18];
            }
            else {
                vErrors.push(err18);
            }
            errors++;
        }
    }
    if (data.coverage !== undefined) {
        let data11 = data.coverage;
        if (data11 && typeof data11 == "object" && !Array.isArray(data11)) {
            for (const key4 in data11) {
                if (!(((((key4 === "enabled") || (key4 === "dirs")) || (key4 === "lcov")) || (key4 === "flag")) || (key4 === "codecov"))) {
                    const err19 = { instancePath: instancePath + "/coverage", schemaPath: "#/properties/coverage/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key4 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.coverage, data: data11 };
                    if (vErrors === null) {
                        vErrors = [err19];
                    }
                    else {
                        vErrors.push(err19);
                    }
                    errors++;
                }
            }
            if (data11.enabled !== undefined) {
                let data12 = data11.enabled;
                if (typeof data12 !== "boolean") {
                    const err20 = { instancePath: instancePath + "/coverage/enabled", schemaPath: "#/properties/coverage/properties/enabled/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema208.properties.coverage.properties.enabled.type, parentSchema: schema208.properties.coverage.properties.enabled, data: data12 };
                    if (vErrors === null) {
                        vErrors = [err20];
                    }
                    else {
                        vErrors.push(err20);
                    }
                    errors++;
                }
            }
            if (data11.dirs !== undefined) {
                let data13 = data11.dirs;
                if (Array.isArray(data13)) {
                    const len1 = data13.length;
                    for (let i1 = 0; i1 < len1; i1++) {
                        let data14 = data13[i1];
                        if (typeof data14 !== "string") {
                            const err21 = { instancePath: instancePath + "/coverage/dirs/" + i1, schemaPath: "#/properties/coverage/properties/dirs/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.coverage.properties.dirs.items.type, parentSchema: schema208.properties.coverage.properties.dirs.items, data: data14 };
                            if (vErrors === null) {
                                vErrors = [err21];
                            }
                            else {
                                vErrors.push(err21);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err22 = { instancePath: instancePath + "/coverage/dirs", schemaPath: "#/properties/coverage/properties/dirs/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema208.properties.coverage.properties.dirs.type, parentSchema: schema208.properties.coverage.properties.dirs, data: data13 };
                    if (vErrors === null) {
                        vErrors = [err22];
                    }
                    else {
                        vErrors.push(err22);
                    }
                    errors++;
                }
            }
            if (data11.lcov !== undefined) {
                let data15 = data11.lcov;
                if (typeof data15 !== "string") {
                    const err23 = { instancePath: instancePath + "/coverage/lcov", schemaPath: "#/properties/coverage/properties/lcov/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.coverage.properties.lcov.type, parentSchema: schema208.properties.coverage.properties.lcov, data: data15 };
                    if (vErrors === null) {
                        vErrors = [err23];
                    }
                    else {
                        vErrors.push(err23);
                    }
                    errors++;
                }
            }
            if (data11.flag !== undefined) {
                let data16 = data11.flag;
                if (typeof data16 !== "string") {
                    const err24 = { instancePath: instancePath + "/coverage/flag", schemaPath: "#/properties/coverage/properties/flag/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.coverage.properties.flag.type, parentSchema: schema208.properties.coverage.properties.flag, data: data16 };
                    if (vErrors === null) {
                        vErrors = [err24];
                    }
                    else {
                        vErrors.push(err24);
                    }
                    errors++;
                }
            }
            if (data11.codecov !== undefined) {
                let data17 = data11.codecov;
                if (typeof data17 !== "boolean") {
                    const err25 = { instancePath: instancePath + "/coverage/codecov", schemaPath: "#/properties/coverage/properties/codecov/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema208.properties.coverage.properties.codecov.type, parentSchema: schema208.properties.coverage.properties.codecov, data: data17 };
                    if (vErrors === null) {
                        vErrors = [err25];
                    }
                    else {
                        vErrors.push(err25);
                    }
                    errors++;
                }
            }
        }
        else {
            const err26 = { instancePath: instancePath + "/coverage", schemaPath: "#/properties/coverage/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.coverage.type, parentSchema: schema208.properties.coverage, data: data11 };
            if (vErrors === null) {
                vErrors = [err26];
            }
            else {
                vErrors.push(err26);
            }
            errors++;
        }
    }
    if (data.benchmarks !== undefined) {
        let data18 = data.benchmarks;
        if (data18 && typeof data18 == "object" && !Array.isArray(data18)) {
            for (const key5 in data18) {
                if (!(func78.call(schema208.properties.benchmarks.properties, key5))) {
                    const err27 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key5 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.benchmarks, data: data18 };
                    if (vErrors === null) {
                        vErrors = [err27];
                    }
                    else {
                        vErrors.push(err27);
                    }
                    errors++;
                }
            }
            if (data18.enabled !== undefined) {
                let data19 = data18.enabled;
                if (typeof data19 !== "boolean") {
                    const err28 = { instancePath: instancePath + "/benchmarks/enabled", schemaPath: "#/properties/benchmarks/properties/enabled/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema208.properties.benchmarks.properties.enabled.type, parentSchema: schema208.properties.benchmarks.properties.enabled, data: data19 };
                    if (vErrors === null) {
                        vErrors = [err28];
                    }
                    else {
                        vErrors.push(err28);
                    }
                    errors++;
                }
            }
            if (data18.commands !== undefined) {
                let data20 = data18.commands;
                if (Array.isArray(data20)) {
                    const len2 = data20.length;
                    for (let i2 = 0; i2 < len2; i2++) {
                        let data21 = data20[i2];
                        const _errs58 = errors;
                        let valid17 = false;
                        let passing1 = null;
                        const _errs59 = errors;
                        if (typeof data21 === "string") {
                            if (func1(data21) < 1) {
                                const err29 = { instancePath: instancePath + "/benchmarks/commands/" + i2, schemaPath: "#/$defs/command/oneOf/0/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema210.oneOf[0], data: data21 };
                                if (vErrors === null) {
                                    vErrors = [err29];
                                }
                                else {
                                    vErrors.push(err29);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err30 = { instancePath: instancePath + "/benchmarks/commands/" + i2, schemaPath: "#/$defs/command/oneOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema210.oneOf[0].type, parentSchema: schema210.oneOf[0], data: data21 };
                            if (vErrors === null) {
                                vErrors = [err30];
                            }
                            else {
                                vErrors.push(err30);
                            }
                            errors++;
                        }
                        var _valid1 = _errs59 === errors;
                        if (_valid1) {
                            valid17 = true;
                            passing1 = 0;
                        }
                        const _errs61 = errors;
                        if (Array.isArray(data21)) {
                            if (data21.length < 1) {
                                const err31 = { instancePath: instancePath + "/benchmarks/commands/" + i2, schemaPath: "#/$defs/command/oneOf/1/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema210.oneOf[1], data: data21 };
                                if (vErrors === null) {
                                    vErrors = [err31];
                                }
                                else {
                                    vErrors.push(err31);
                                }
                                errors++;
                            }
                            const len3 = data21.length;
                            for (let i3 = 0; i3 < len3; i3++) {
                                let data22 = data21[i3];
                                if (typeof data22 !== "string") {
                                    const err32 = { instancePath: instancePath + "/benchmarks/commands/" + i2 + "/" + i3, schemaPath: "#/$defs/command/oneOf/1/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema210.oneOf[1].items.type, parentSchema: schema210.oneOf[1].items, data: data22 };
                                    if (vErrors === null) {
                                        vErrors = [err32];
                                    }
                                    else {
                                        vErrors.push(err32);
                                    }
                                    errors++;
                                }
                            }
                        }
                        else {
                            const err33 = { instancePath: instancePath + "/benchmarks/commands/" + i2, schemaPath: "#/$defs/command/oneOf/1/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema210.oneOf[1].type, parentSchema: schema210.oneOf[1], data: data21 };
                            if (vErrors === null) {
                                vErrors = [err33];
                            }
                            else {
                                vErrors.push(err33);
                            }
                            errors++;
                        }
                        var _valid1 = _errs61 === errors;
                        if (_valid1 && valid17) {
                            valid17 = false;
                            passing1 = [passing1, 1];
                        }
                        else {
                            if (_valid1) {
                                valid17 = true;
                                passing1 = 1;
                            }
                        }
                        if (!valid17) {
                            const err34 = { instancePath: instancePath + "/benchmarks/commands/" + i2, schemaPath: "#/$defs/command/oneOf", keyword: "oneOf", params: { passingSchemas: passing1 }, message: "must match exactly one schema in oneOf", schema: schema210.oneOf, parentSchema: schema210, data: data21 };
                            if (vErrors === null) {
                                vErrors = [err34];
                            }
                            else {
                                vErrors.push(err34);
                            }
                            errors++;
                        }
                        else {
                            errors = _errs58;
                            if (vErrors !== null) {
                                if (_errs58) {
                                    vErrors.length = _errs58;
                                }
                                else {
                                    vErrors = null;
                                }
                            }
                        }
                    }
                }
                else {
                    const err35 = { instancePath: instancePath + "/benchmarks/commands", schemaPath: "#/properties/benchmarks/properties/commands/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema208.properties.benchmarks.properties.commands.type, parentSchema: schema208.properties.benchmarks.properties.commands, data: data20 };
                    if (vErrors === null) {
                        vErrors = [err35];
                    }
                    else {
                        vErrors.push(err35);
                    }
                    errors++;
                }
            }
            if (data18.results !== undefined) {
                let data23 = data18.results;
                const _errs66 = errors;
                let valid20 = false;
                const _errs67 = errors;
                const _errs69 = errors;
                let valid22 = false;
                let passing2 = null;
                const _errs70 = errors;
                if (typeof data23 === "string") {
                    if (func1(data23) > 4096) {
                        const err36 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/0/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema213.oneOf[0], data: data23 };
                        if (vErrors === null) {
                            vErrors = [err36];
                        }
                        else {
                            vErrors.push(err36);
                        }
                        errors++;
                    }
                    if (func1(data23) < 1) {
                        const err37 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/0/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema213.oneOf[0], data: data23 };
                        if (vErrors === null) {
                            vErrors = [err37];
                        }
                        else {
                            vErrors.push(err37);
                        }
                        errors++;
                    }
                }
                else {
                    const err38 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema213.oneOf[0].type, parentSchema: schema213.oneOf[0], data: data23 };
                    if (vErrors === null) {
                        vErrors = [err38];
                    }
                    else {
                        vErrors.push(err38);
                    }
                    errors++;
                }
                var _valid3 = _errs70 === errors;
                if (_valid3) {
                    valid22 = true;
                    passing2 = 0;
                }
                const _errs72 = errors;
                if (data23 && typeof data23 == "object" && !Array.isArray(data23)) {
                    if (data23.path === undefined) {
                        const err39 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/1/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property '" + "path" + "'", schema: schema213.oneOf[1].required, parentSchema: schema213.oneOf[1], data: data23 };
                        if (vErrors === null) {
                            vErrors = [err39];
                        }
                        else {
                            vErrors.push(err39);
                        }
                        errors++;
                    }
                    for (const key6 in data23) {
                        if (!((key6 === "path") || (key6 === "tool"))) {
                            const err40 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/1/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key6 }, message: "must NOT have additional properties", schema: false, parentSchema: schema213.oneOf[1], data: data23 };
                            if (vErrors === null) {
                                vErrors = [err40];
                            }
                            else {
                                vErrors.push(err40);
                            }
                            errors++;
                        }
                    }
                    if (data23.path !== undefined) {
                        let data24 = data23.path;
                        if (typeof data24 === "string") {
                            if (func1(data24) > 4096) {
                                const err41 = { instancePath: instancePath + "/benchmarks/results/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema213.oneOf[1].properties.path, data: data24 };
                                if (vErrors === null) {
                                    vErrors = [err41];
                                }
                                else {
                                    vErrors.push(err41);
                                }
                                errors++;
                            }
                            if (func1(data24) < 1) {
                                const err42 = { instancePath: instancePath + "/benchmarks/results/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema213.oneOf[1].properties.path, data: data24 };
                                if (vErrors === null) {
                                    vErrors = [err42];
                                }
                                else {
                                    vErrors.push(err42);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err43 = { instancePath: instancePath + "/benchmarks/results/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema213.oneOf[1].properties.path.type, parentSchema: schema213.oneOf[1].properties.path, data: data24 };
                            if (vErrors === null) {
                                vErrors = [err43];
                            }
                            else {
                                vErrors.push(err43);
                            }
                            errors++;
                        }
                    }
                    if (data23.tool !== undefined) {
                        let data25 = data23.tool;
                        if (!((data25 === "customSmallerIsBetter") || (data25 === "customBiggerIsBetter"))) {
                            const err44 = { instancePath: instancePath + "/benchmarks/results/tool", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/tool/enum", keyword: "enum", params: { allowedValues: schema213.oneOf[1].properties.tool.enum }, message: "must be equal to one of the allowed values", schema: schema213.oneOf[1].properties.tool.enum, parentSchema: schema213.oneOf[1].properties.tool, data: data25 };
                            if (vErrors === null) {
                                vErrors = [err44];
                            }
                            else {
                                vErrors.push(err44);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err45 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf/1/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema213.oneOf[1].type, parentSchema: schema213.oneOf[1], data: data23 };
                    if (vErrors === null) {
                        vErrors = [err45];
                    }
                    else {
                        vErrors.push(err45);
                    }
                    errors++;
                }
                var _valid3 = _errs72 === errors;
                if (_valid3 && valid22) {
                    valid22 = false;
                    passing2 = [passing2, 1];
                }
                else {
                    if (_valid3) {
                        valid22 = true;
                        passing2 = 1;
                    }
                }
                if (!valid22) {
                    const err46 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/$defs/resultsSource/oneOf", keyword: "oneOf", params: { passingSchemas: passing2 }, message: "must match exactly one schema in oneOf", schema: schema213.oneOf, parentSchema: schema213, data: data23 };
                    if (vErrors === null) {
                        vErrors = [err46];
                    }
                    else {
                        vErrors.push(err46);
                    }
                    errors++;
                }
                else {
                    errors = _errs69;
                    if (vErrors !== null) {
                        if (_errs69) {
                            vErrors.length = _errs69;
                        }
                        else {
                            vErrors = null;
                        }
                    }
                }
                var _valid2 = _errs67 === errors;
                valid20 = valid20 || _valid2;
                const _errs78 = errors;
                if (Array.isArray(data23)) {
                    if (data23.length > 100) {
                        const err47 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/properties/benchmarks/properties/results/anyOf/1/maxItems", keyword: "maxItems", params: { limit: 100 }, message: "must NOT have more than 100 items", schema: 100, parentSchema: schema208.properties.benchmarks.properties.results.anyOf[1], data: data23 };
                        if (vErrors === null) {
                            vErrors = [err47];
                        }
                        else {
                            vErrors.push(err47);
                        }
                        errors++;
                    }
                    if (data23.length < 1) {
                        const err48 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/properties/benchmarks/properties/results/anyOf/1/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items", schema: 1, parentSchema: schema208.properties.benchmarks.properties.results.anyOf[1], data: data23 };
                        if (vErrors === null) {
                            vErrors = [err48];
                        }
                        else {
                            vErrors.push(err48);
                        }
                        errors++;
                    }
                    const len4 = data23.length;
                    for (let i4 = 0; i4 < len4; i4++) {
                        let data26 = data23[i4];
                        const _errs82 = errors;
                        let valid27 = false;
                        let passing3 = null;
                        const _errs83 = errors;
                        if (typeof data26 === "string") {
                            if (func1(data26) > 4096) {
                                const err49 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/0/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema213.oneOf[0], data: data26 };
                                if (vErrors === null) {
                                    vErrors = [err49];
                                }
                                else {
                                    vErrors.push(err49);
                                }
                                errors++;
                            }
                            if (func1(data26) < 1) {
                                const err50 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/0/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema213.oneOf[0], data: data26 };
                                if (vErrors === null) {
                                    vErrors = [err50];
                                }
                                else {
                                    vErrors.push(err50);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err51 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/0/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema213.oneOf[0].type, parentSchema: schema213.oneOf[0], data: data26 };
                            if (vErrors === null) {
                                vErrors = [err51];
                            }
                            else {
                                vErrors.push(err51);
                            }
                            errors++;
                        }
                        var _valid4 = _errs83 === errors;
                        if (_valid4) {
                            valid27 = true;
                            passing3 = 0;
                        }
                        const _errs85 = errors;
                        if (data26 && typeof data26 == "object" && !Array.isArray(data26)) {
                            if (data26.path === undefined) {
                                const err52 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/1/required", keyword: "required", params: { missingProperty: "path" }, message: "must have required property '" + "path" + "'", schema: schema213.oneOf[1].required, parentSchema: schema213.oneOf[1], data: data26 };
                                if (vErrors === null) {
                                    vErrors = [err52];
                                }
                                else {
                                    vErrors.push(err52);
                                }
                                errors++;
                            }
                            for (const key7 in data26) {
                                if (!((key7 === "path") || (key7 === "tool"))) {
                                    const err53 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/1/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key7 }, message: "must NOT have additional properties", schema: false, parentSchema: schema213.oneOf[1], data: data26 };
                                    if (vErrors === null) {
                                        vErrors = [err53];
                                    }
                                    else {
                                        vErrors.push(err53);
                                    }
                                    errors++;
                                }
                            }
                            if (data26.path !== undefined) {
                                let data27 = data26.path;
                                if (typeof data27 === "string") {
                                    if (func1(data27) > 4096) {
                                        const err54 = { instancePath: instancePath + "/benchmarks/results/" + i4 + "/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema213.oneOf[1].properties.path, data: data27 };
                                        if (vErrors === null) {
                                            vErrors = [err54];
                                        }
                                        else {
                                            vErrors.push(err54);
                                        }
                                        errors++;
                                    }
                                    if (func1(data27) < 1) {
                                        const err55 = { instancePath: instancePath + "/benchmarks/results/" + i4 + "/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema213.oneOf[1].properties.path, data: data27 };
                                        if (vErrors === null) {
                                            vErrors = [err55];
                                        }
                                        else {
                                            vErrors.push(err55);
                                        }
                                        errors++;
                                    }
                                }
                                else {
                                    const err56 = { instancePath: instancePath + "/benchmarks/results/" + i4 + "/path", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/path/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema213.oneOf[1].properties.path.type, parentSchema: schema213.oneOf[1].properties.path, data: data27 };
                                    if (vErrors === null) {
                                        vErrors = [err56];
                                    }
                                    else {
                                        vErrors.push(err56);
                                    }
                                    errors++;
                                }
                            }
                            if (data26.tool !== undefined) {
                                let data28 = data26.tool;
                                if (!((data28 === "customSmallerIsBetter") || (data28 === "customBiggerIsBetter"))) {
                                    const err57 = { instancePath: instancePath + "/benchmarks/results/" + i4 + "/tool", schemaPath: "#/$defs/resultsSource/oneOf/1/properties/tool/enum", keyword: "enum", params: { allowedValues: schema213.oneOf[1].properties.tool.enum }, message: "must be equal to one of the allowed values", schema: schema213.oneOf[1].properties.tool.enum, parentSchema: schema213.oneOf[1].properties.tool, data: data28 };
                                    if (vErrors === null) {
                                        vErrors = [err57];
                                    }
                                    else {
                                        vErrors.push(err57);
                                    }
                                    errors++;
                                }
                            }
                        }
                        else {
                            const err58 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf/1/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema213.oneOf[1].type, parentSchema: schema213.oneOf[1], data: data26 };
                            if (vErrors === null) {
                                vErrors = [err58];
                            }
                            else {
                                vErrors.push(err58);
                            }
                            errors++;
                        }
                        var _valid4 = _errs85 === errors;
                        if (_valid4 && valid27) {
                            valid27 = false;
                            passing3 = [passing3, 1];
                        }
                        else {
                            if (_valid4) {
                                valid27 = true;
                                passing3 = 1;
                            }
                        }
                        if (!valid27) {
                            const err59 = { instancePath: instancePath + "/benchmarks/results/" + i4, schemaPath: "#/$defs/resultsSource/oneOf", keyword: "oneOf", params: { passingSchemas: passing3 }, message: "must match exactly one schema in oneOf", schema: schema213.oneOf, parentSchema: schema213, data: data26 };
                            if (vErrors === null) {
                                vErrors = [err59];
                            }
                            else {
                                vErrors.push(err59);
                            }
                            errors++;
                        }
                        else {
                            errors = _errs82;
                            if (vErrors !== null) {
                                if (_errs82) {
                                    vErrors.length = _errs82;
                                }
                                else {
                                    vErrors = null;
                                }
                            }
                        }
                    }
                }
                else {
                    const err60 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/properties/benchmarks/properties/results/anyOf/1/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema208.properties.benchmarks.properties.results.anyOf[1].type, parentSchema: schema208.properties.benchmarks.properties.results.anyOf[1], data: data23 };
                    if (vErrors === null) {
                        vErrors = [err60];
                    }
                    else {
                        vErrors.push(err60);
                    }
                    errors++;
                }
                var _valid2 = _errs78 === errors;
                valid20 = valid20 || _valid2;
                if (!valid20) {
                    const err61 = { instancePath: instancePath + "/benchmarks/results", schemaPath: "#/properties/benchmarks/properties/results/anyOf", keyword: "anyOf", params: {}, message: "must match a schema in anyOf", schema: schema208.properties.benchmarks.properties.results.anyOf, parentSchema: schema208.properties.benchmarks.properties.results, data: data23 };
                    if (vErrors === null) {
                        vErrors = [err61];
                    }
                    else {
                        vErrors.push(err61);
                    }
                    errors++;
                }
                else {
                    errors = _errs66;
                    if (vErrors !== null) {
                        if (_errs66) {
                            vErrors.length = _errs66;
                        }
                        else {
                            vErrors = null;
                        }
                    }
                }
            }
            if (data18.env !== undefined) {
                let data29 = data18.env;
                if (data29 && typeof data29 == "object" && !Array.isArray(data29)) {
                    for (const key8 in data29) {
                        let data30 = data29[key8];
                        if (typeof data30 !== "string") {
                            const err62 = { instancePath: instancePath + "/benchmarks/env/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/$defs/env/additionalProperties/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema209.additionalProperties.type, parentSchema: schema209.additionalProperties, data: data30 };
                            if (vErrors === null) {
                                vErrors = [err62];
                            }
                            else {
                                vErrors.push(err62);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err63 = { instancePath: instancePath + "/benchmarks/env", schemaPath: "#/$defs/env/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema209.type, parentSchema: schema209, data: data29 };
                    if (vErrors === null) {
                        vErrors = [err63];
                    }
                    else {
                        vErrors.push(err63);
                    }
                    errors++;
                }
            }
            if (data18.threshold_pct !== undefined) {
                let data31 = data18.threshold_pct;
                if ((typeof data31 == "number") && (isFinite(data31))) {
                    if (data31 > 1000000000000000 || isNaN(data31)) {
                        const err64 = { instancePath: instancePath + "/benchmarks/threshold_pct", schemaPath: "#/properties/benchmarks/properties/threshold_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema208.properties.benchmarks.properties.threshold_pct, data: data31 };
                        if (vErrors === null) {
                            vErrors = [err64];
                        }
                        else {
                            vErrors.push(err64);
                        }
                        errors++;
                    }
                    if (data31 < 0 || isNaN(data31)) {
                        const err65 = { instancePath: instancePath + "/benchmarks/threshold_pct", schemaPath: "#/properties/benchmarks/properties/threshold_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.threshold_pct, data: data31 };
                        if (vErrors === null) {
                            vErrors = [err65];
                        }
                        else {
                            vErrors.push(err65);
                        }
                        errors++;
                    }
                }
                else {
                    const err66 = { instancePath: instancePath + "/benchmarks/threshold_pct", schemaPath: "#/properties/benchmarks/properties/threshold_pct/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.threshold_pct.type, parentSchema: schema208.properties.benchmarks.properties.threshold_pct, data: data31 };
                    if (vErrors === null) {
                        vErrors = [err66];
                    }
                    else {
                        vErrors.push(err66);
                    }
                    errors++;
                }
            }
            if (data18.judge !== undefined) {
                let data32 = data18.judge;
                if (data32 && typeof data32 == "object" && !Array.isArray(data32)) {
                    for (const key9 in data32) {
                        if (!(((((key9 === "floor_pct") || (key9 === "cap_pct")) || (key9 === "min_history")) || (key9 === "history_limit")) || (key9 === "tolerance_pct"))) {
                            const err67 = { instancePath: instancePath + "/benchmarks/judge", schemaPath: "#/properties/benchmarks/properties/judge/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key9 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.benchmarks.properties.judge, data: data32 };
                            if (vErrors === null) {
                                vErrors = [err67];
                            }
                            else {
                                vErrors.push(err67);
                            }
                            errors++;
                        }
                    }
                    if (data32.floor_pct !== undefined) {
                        let data33 = data32.floor_pct;
                        if ((typeof data33 == "number") && (isFinite(data33))) {
                            if (data33 > 1000000000000000 || isNaN(data33)) {
                                const err68 = { instancePath: instancePath + "/benchmarks/judge/floor_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/floor_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema208.properties.benchmarks.properties.judge.properties.floor_pct, data: data33 };
                                if (vErrors === null) {
                                    vErrors = [err68];
                                }
                                else {
                                    vErrors.push(err68);
                                }
                                errors++;
                            }
                            if (data33 < 0 || isNaN(data33)) {
                                const err69 = { instancePath: instancePath + "/benchmarks/judge/floor_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/floor_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.judge.properties.floor_pct, data: data33 };
                                if (vErrors === null) {
                                    vErrors = [err69];
                                }
                                else {
                                    vErrors.push(err69);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err70 = { instancePath: instancePath + "/benchmarks/judge/floor_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/floor_pct/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.judge.properties.floor_pct.type, parentSchema: schema208.properties.benchmarks.properties.judge.properties.floor_pct, data: data33 };
                            if (vErrors === null) {
                                vErrors = [err70];
                            }
                            else {
                                vErrors.push(err70);
                            }
                            errors++;
                        }
                    }
                    if (data32.cap_pct !== undefined) {
                        let data34 = data32.cap_pct;
                        if ((typeof data34 == "number") && (isFinite(data34))) {
                            if (data34 > 1000000000000000 || isNaN(data34)) {
                                const err71 = { instancePath: instancePath + "/benchmarks/judge/cap_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/cap_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema208.properties.benchmarks.properties.judge.properties.cap_pct, data: data34 };
                                if (vErrors === null) {
                                    vErrors = [err71];
                                }
                                else {
                                    vErrors.push(err71);
                                }
                                errors++;
                            }
                            if (data34 < 0 || isNaN(data34)) {
                                const err72 = { instancePath: instancePath + "/benchmarks/judge/cap_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/cap_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.judge.properties.cap_pct, data: data34 };
                                if (vErrors === null) {
                                    vErrors = [err72];
                                }
                                else {
                                    vErrors.push(err72);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err73 = { instancePath: instancePath + "/benchmarks/judge/cap_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/cap_pct/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.judge.properties.cap_pct.type, parentSchema: schema208.properties.benchmarks.properties.judge.properties.cap_pct, data: data34 };
                            if (vErrors === null) {
                                vErrors = [err73];
                            }
                            else {
                                vErrors.push(err73);
                            }
                            errors++;
                        }
                    }
                    if (data32.min_history !== undefined) {
                        let data35 = data32.min_history;
                        if (!(((typeof data35 == "number") && (!(data35 % 1) && !isNaN(data35))) && (isFinite(data35)))) {
                            const err74 = { instancePath: instancePath + "/benchmarks/judge/min_history", schemaPath: "#/properties/benchmarks/properties/judge/properties/min_history/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema208.properties.benchmarks.properties.judge.properties.min_history.type, parentSchema: schema208.properties.benchmarks.properties.judge.properties.min_history, data: data35 };
                            if (vErrors === null) {
                                vErrors = [err74];
                            }
                            else {
                                vErrors.push(err74);
                            }
                            errors++;
                        }
                        if ((typeof data35 == "number") && (isFinite(data35))) {
                            if (data35 > 100000 || isNaN(data35)) {
                                const err75 = { instancePath: instancePath + "/benchmarks/judge/min_history", schemaPath: "#/properties/benchmarks/properties/judge/properties/min_history/maximum", keyword: "maximum", params: { comparison: "<=", limit: 100000 }, message: "must be <= 100000", schema: 100000, parentSchema: schema208.properties.benchmarks.properties.judge.properties.min_history, data: data35 };
                                if (vErrors === null) {
                                    vErrors = [err75];
                                }
                                else {
                                    vErrors.push(err75);
                                }
                                errors++;
                            }
                            if (data35 < 1 || isNaN(data35)) {
                                const err76 = { instancePath: instancePath + "/benchmarks/judge/min_history", schemaPath: "#/properties/benchmarks/properties/judge/properties/min_history/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema208.properties.benchmarks.properties.judge.properties.min_history, data: data35 };
                                if (vErrors === null) {
                                    vErrors = [err76];
                                }
                                else {
                                    vErrors.push(err76);
                                }
                                errors++;
                            }
                        }
                    }
                    if (data32.history_limit !== undefined) {
                        let data36 = data32.history_limit;
                        if (!(((typeof data36 == "number") && (!(data36 % 1) && !isNaN(data36))) && (isFinite(data36)))) {
                            const err77 = { instancePath: instancePath + "/benchmarks/judge/history_limit", schemaPath: "#/properties/benchmarks/properties/judge/properties/history_limit/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema208.properties.benchmarks.properties.judge.properties.history_limit.type, parentSchema: schema208.properties.benchmarks.properties.judge.properties.history_limit, data: data36 };
                            if (vErrors === null) {
                                vErrors = [err77];
                            }
                            else {
                                vErrors.push(err77);
                            }
                            errors++;
                        }
                        if ((typeof data36 == "number") && (isFinite(data36))) {
                            if (data36 > 100 || isNaN(data36)) {
                                const err78 = { instancePath: instancePath + "/benchmarks/judge/history_limit", schemaPath: "#/properties/benchmarks/properties/judge/properties/history_limit/maximum", keyword: "maximum", params: { comparison: "<=", limit: 100 }, message: "must be <= 100", schema: 100, parentSchema: schema208.properties.benchmarks.properties.judge.properties.history_limit, data: data36 };
                                if (vErrors === null) {
                                    vErrors = [err78];
                                }
                                else {
                                    vErrors.push(err78);
                                }
                                errors++;
                            }
                            if (data36 < 1 || isNaN(data36)) {
                                const err79 = { instancePath: instancePath + "/benchmarks/judge/history_limit", schemaPath: "#/properties/benchmarks/properties/judge/properties/history_limit/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema208.properties.benchmarks.properties.judge.properties.history_limit, data: data36 };
                                if (vErrors === null) {
                                    vErrors = [err79];
                                }
                                else {
                                    vErrors.push(err79);
                                }
                                errors++;
                            }
                        }
                    }
                    if (data32.tolerance_pct !== undefined) {
                        let data37 = data32.tolerance_pct;
                        if ((typeof data37 == "number") && (isFinite(data37))) {
                            if (data37 > 1000000000000000 || isNaN(data37)) {
                                const err80 = { instancePath: instancePath + "/benchmarks/judge/tolerance_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/tolerance_pct/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema208.properties.benchmarks.properties.judge.properties.tolerance_pct, data: data37 };
                                if (vErrors === null) {
                                    vErrors = [err80];
                                }
                                else {
                                    vErrors.push(err80);
                                }
                                errors++;
                            }
                            if (data37 < 0 || isNaN(data37)) {
                                const err81 = { instancePath: instancePath + "/benchmarks/judge/tolerance_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/tolerance_pct/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.judge.properties.tolerance_pct, data: data37 };
                                if (vErrors === null) {
                                    vErrors = [err81];
                                }
                                else {
                                    vErrors.push(err81);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err82 = { instancePath: instancePath + "/benchmarks/judge/tolerance_pct", schemaPath: "#/properties/benchmarks/properties/judge/properties/tolerance_pct/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.judge.properties.tolerance_pct.type, parentSchema: schema208.properties.benchmarks.properties.judge.properties.tolerance_pct, data: data37 };
                            if (vErrors === null) {
                                vErrors = [err82];
                            }
                            else {
                                vErrors.push(err82);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err83 = { instancePath: instancePath + "/benchmarks/judge", schemaPath: "#/properties/benchmarks/properties/judge/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.benchmarks.properties.judge.type, parentSchema: schema208.properties.benchmarks.properties.judge, data: data32 };
                    if (vErrors === null) {
                        vErrors = [err83];
                    }
                    else {
                        vErrors.push(err83);
                    }
                    errors++;
                }
            }
            if (data18.confirm !== undefined) {
                let data38 = data18.confirm;
                if (typeof data38 !== "boolean") {
                    const err84 = { instancePath: instancePath + "/benchmarks/confirm", schemaPath: "#/properties/benchmarks/properties/confirm/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema208.properties.benchmarks.properties.confirm.type, parentSchema: schema208.properties.benchmarks.properties.confirm, data: data38 };
                    if (vErrors === null) {
                        vErrors = [err84];
                    }
                    else {
                        vErrors.push(err84);
                    }
                    errors++;
                }
            }
            if (data18.baseline_branch !== undefined) {
                let data39 = data18.baseline_branch;
                if (typeof data39 !== "string") {
                    const err85 = { instancePath: instancePath + "/benchmarks/baseline_branch", schemaPath: "#/properties/benchmarks/properties/baseline_branch/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.benchmarks.properties.baseline_branch.type, parentSchema: schema208.properties.benchmarks.properties.baseline_branch, data: data39 };
                    if (vErrors === null) {
                        vErrors = [err85];
                    }
                    else {
                        vErrors.push(err85);
                    }
                    errors++;
                }
            }
            if (data18.reserve_minutes !== undefined) {
                let data40 = data18.reserve_minutes;
                if ((typeof data40 == "number") && (isFinite(data40))) {
                    if (data40 > 5259600 || isNaN(data40)) {
                        const err86 = { instancePath: instancePath + "/benchmarks/reserve_minutes", schemaPath: "#/properties/benchmarks/properties/reserve_minutes/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5259600 }, message: "must be <= 5259600", schema: 5259600, parentSchema: schema208.properties.benchmarks.properties.reserve_minutes, data: data40 };
                        if (vErrors === null) {
                            vErrors = [err86];
                        }
                        else {
                            vErrors.push(err86);
                        }
                        errors++;
                    }
                    if (data40 < 0 || isNaN(data40)) {
                        const err87 = { instancePath: instancePath + "/benchmarks/reserve_minutes", schemaPath: "#/properties/benchmarks/properties/reserve_minutes/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.reserve_minutes, data: data40 };
                        if (vErrors === null) {
                            vErrors = [err87];
                        }
                        else {
                            vErrors.push(err87);
                        }
                        errors++;
                    }
                }
                else {
                    const err88 = { instancePath: instancePath + "/benchmarks/reserve_minutes", schemaPath: "#/properties/benchmarks/properties/reserve_minutes/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.reserve_minutes.type, parentSchema: schema208.properties.benchmarks.properties.reserve_minutes, data: data40 };
                    if (vErrors === null) {
                        vErrors = [err88];
                    }
                    else {
                        vErrors.push(err88);
                    }
                    errors++;
                }
            }
            if (data18.timeout_minutes !== undefined) {
                let data41 = data18.timeout_minutes;
                if ((typeof data41 == "number") && (isFinite(data41))) {
                    if (data41 > 5259600 || isNaN(data41)) {
                        const err89 = { instancePath: instancePath + "/benchmarks/timeout_minutes", schemaPath: "#/properties/benchmarks/properties/timeout_minutes/maximum", keyword: "maximum", params: { comparison: "<=", limit: 5259600 }, message: "must be <= 5259600", schema: 5259600, parentSchema: schema208.properties.benchmarks.properties.timeout_minutes, data: data41 };
                        if (vErrors === null) {
                            vErrors = [err89];
                        }
                        else {
                            vErrors.push(err89);
                        }
                        errors++;
                    }
                    if (data41 <= 0 || isNaN(data41)) {
                        const err90 = { instancePath: instancePath + "/benchmarks/timeout_minutes", schemaPath: "#/properties/benchmarks/properties/timeout_minutes/exclusiveMinimum", keyword: "exclusiveMinimum", params: { comparison: ">", limit: 0 }, message: "must be > 0", schema: 0, parentSchema: schema208.properties.benchmarks.properties.timeout_minutes, data: data41 };
                        if (vErrors === null) {
                            vErrors = [err90];
                        }
                        else {
                            vErrors.push(err90);
                        }
                        errors++;
                    }
                }
                else {
                    const err91 = { instancePath: instancePath + "/benchmarks/timeout_minutes", schemaPath: "#/properties/benchmarks/properties/timeout_minutes/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema208.properties.benchmarks.properties.timeout_minutes.type, parentSchema: schema208.properties.benchmarks.properties.timeout_minutes, data: data41 };
                    if (vErrors === null) {
                        vErrors = [err91];
                    }
                    else {
                        vErrors.push(err91);
                    }
                    errors++;
                }
            }
        }
        else {
            const err92 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.benchmarks.type, parentSchema: schema208.properties.benchmarks, data: data18 };
            if (vErrors === null) {
                vErrors = [err92];
            }
            else {
                vErrors.push(err92);
            }
            errors++;
        }
    }
    if (data.results !== undefined) {
        let data42 = data.results;
        if (data42 && typeof data42 == "object" && !Array.isArray(data42)) {
            for (const key10 in data42) {
                if (!(((((key10 === "dir") || (key10 === "branch")) || (key10 === "remote")) || (key10 === "repository")) || (key10 === "publish"))) {
                    const err93 = { instancePath: instancePath + "/results", schemaPath: "#/properties/results/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key10 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.results, data: data42 };
                    if (vErrors === null) {
                        vErrors = [err93];
                    }
                    else {
                        vErrors.push(err93);
                    }
                    errors++;
                }
            }
            if (data42.dir !== undefined) {
                let data43 = data42.dir;
                if (typeof data43 !== "string") {
                    const err94 = { instancePath: instancePath + "/results/dir", schemaPath: "#/properties/results/properties/dir/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.results.properties.dir.type, parentSchema: schema208.properties.results.properties.dir, data: data43 };
                    if (vErrors === null) {
                        vErrors = [err94];
                    }
                    else {
                        vErrors.push(err94);
                    }
                    errors++;
                }
            }
            if (data42.branch !== undefined) {
                let data44 = data42.branch;
                if (typeof data44 !== "string") {
                    const err95 = { instancePath: instancePath + "/results/branch", schemaPath: "#/properties/results/properties/branch/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.results.properties.branch.type, parentSchema: schema208.properties.results.properties.branch, data: data44 };
                    if (vErrors === null) {
                        vErrors = [err95];
                    }
                    else {
                        vErrors.push(err95);
                    }
                    errors++;
                }
            }
            if (data42.remote !== undefined) {
                let data45 = data42.remote;
                if (typeof data45 !== "string") {
                    const err96 = { instancePath: instancePath + "/results/remote", schemaPath: "#/properties/results/properties/remote/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.results.properties.remote.type, parentSchema: schema208.properties.results.properties.remote, data: data45 };
                    if (vErrors === null) {
                        vErrors = [err96];
                    }
                    else {
                        vErrors.push(err96);
                    }
                    errors++;
                }
            }
            if (data42.repository !== undefined) {
                let data46 = data42.repository;
                if (typeof data46 === "string") {
                    if (!pattern12.test(data46)) {
                        const err97 = { instancePath: instancePath + "/results/repository", schemaPath: "#/properties/results/properties/repository/pattern", keyword: "pattern", params: { pattern: "^[\\w.-]+/[\\w.-]+$" }, message: "must match pattern \"" + "^[\\w.-]+/[\\w.-]+$" + "\"", schema: "^[\\w.-]+/[\\w.-]+$", parentSchema: schema208.properties.results.properties.repository, data: data46 };
                        if (vErrors === null) {
                            vErrors = [err97];
                        }
                        else {
                            vErrors.push(err97);
                        }
                        errors++;
                    }
                }
                else {
                    const err98 = { instancePath: instancePath + "/results/repository", schemaPath: "#/properties/results/properties/repository/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.results.properties.repository.type, parentSchema: schema208.properties.results.properties.repository, data: data46 };
                    if (vErrors === null) {
                        vErrors = [err98];
                    }
                    else {
                        vErrors.push(err98);
                    }
                    errors++;
                }
            }
            if (data42.publish !== undefined) {
                let data47 = data42.publish;
                if (typeof data47 !== "boolean") {
                    const err99 = { instancePath: instancePath + "/results/publish", schemaPath: "#/properties/results/properties/publish/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean", schema: schema208.properties.results.properties.publish.type, parentSchema: schema208.properties.results.properties.publish, data: data47 };
                    if (vErrors === null) {
                        vErrors = [err99];
                    }
                    else {
                        vErrors.push(err99);
                    }
                    errors++;
                }
            }
        }
        else {
            const err100 = { instancePath: instancePath + "/results", schemaPath: "#/properties/results/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.results.type, parentSchema: schema208.properties.results, data: data42 };
            if (vErrors === null) {
                vErrors = [err100];
            }
            else {
                vErrors.push(err100);
            }
            errors++;
        }
    }
    if (data.slurm !== undefined) {
        let data48 = data.slurm;
        if (data48 && typeof data48 == "object" && !Array.isArray(data48)) {
            for (const key11 in data48) {
                if (!(func78.call(schema208.properties.slurm.properties, key11))) {
                    const err101 = { instancePath: instancePath + "/slurm", schemaPath: "#/properties/slurm/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key11 }, message: "must NOT have additional properties", schema: false, parentSchema: schema208.properties.slurm, data: data48 };
                    if (vErrors === null) {
                        vErrors = [err101];
                    }
                    else {
                        vErrors.push(err101);
                    }
                    errors++;
                }
            }
            if (data48.job_name !== undefined) {
                let data49 = data48.job_name;
                if (typeof data49 !== "string") {
                    const err102 = { instancePath: instancePath + "/slurm/job_name", schemaPath: "#/properties/slurm/properties/job_name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.job_name.type, parentSchema: schema208.properties.slurm.properties.job_name, data: data49 };
                    if (vErrors === null) {
                        vErrors = [err102];
                    }
                    else {
                        vErrors.push(err102);
                    }
                    errors++;
                }
            }
            if (data48.partition !== undefined) {
                let data50 = data48.partition;
                if (typeof data50 !== "string") {
                    const err103 = { instancePath: instancePath + "/slurm/partition", schemaPath: "#/properties/slurm/properties/partition/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.partition.type, parentSchema: schema208.properties.slurm.properties.partition, data: data50 };
                    if (vErrors === null) {
                        vErrors = [err103];
                    }
                    else {
                        vErrors.push(err103);
                    }
                    errors++;
                }
            }
            if (data48.account !== undefined) {
                let data51 = data48.account;
                if (typeof data51 !== "string") {
                    const err104 = { instancePath: instancePath + "/slurm/account", schemaPath: "#/properties/slurm/properties/account/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.account.type, parentSchema: schema208.properties.slurm.properties.account, data: data51 };
                    if (vErrors === null) {
                        vErrors = [err104];
                    }
                    else {
                        vErrors.push(err104);
                    }
                    errors++;
                }
            }
            if (data48.qos !== undefined) {
                let data52 = data48.qos;
                if (typeof data52 !== "string") {
                    const err105 = { instancePath: instancePath + "/slurm/qos", schemaPath: "#/properties/slurm/properties/qos/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.qos.type, parentSchema: schema208.properties.slurm.properties.qos, data: data52 };
                    if (vErrors === null) {
                        vErrors = [err105];
                    }
                    else {
                        vErrors.push(err105);
                    }
                    errors++;
                }
            }
            if (data48.time !== undefined) {
                let data53 = data48.time;
                if (typeof data53 === "string") {
                    if (!pattern13.test(data53)) {
                        const err106 = { instancePath: instancePath + "/slurm/time", schemaPath: "#/properties/slurm/properties/time/pattern", keyword: "pattern", params: { pattern: "^(\\d+-)?\\d+(:\\d+){0,2}$" }, message: "must match pattern \"" + "^(\\d+-)?\\d+(:\\d+){0,2}$" + "\"", schema: "^(\\d+-)?\\d+(:\\d+){0,2}$", parentSchema: schema208.properties.slurm.properties.time, data: data53 };
                        if (vErrors === null) {
                            vErrors = [err106];
                        }
                        else {
                            vErrors.push(err106);
                        }
                        errors++;
                    }
                }
                else {
                    const err107 = { instancePath: instancePath + "/slurm/time", schemaPath: "#/properties/slurm/properties/time/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.time.type, parentSchema: schema208.properties.slurm.properties.time, data: data53 };
                    if (vErrors === null) {
                        vErrors = [err107];
                    }
                    else {
                        vErrors.push(err107);
                    }
                    errors++;
                }
            }
            if (data48.nodes !== undefined) {
                let data54 = data48.nodes;
                if (!(((typeof data54 == "number") && (!(data54 % 1) && !isNaN(data54))) && (isFinite(data54)))) {
                    const err108 = { instancePath: instancePath + "/slurm/nodes", schemaPath: "#/properties/slurm/properties/nodes/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema208.properties.slurm.properties.nodes.type, parentSchema: schema208.properties.slurm.properties.nodes, data: data54 };
                    if (vErrors === null) {
                        vErrors = [err108];
                    }
                    else {
                        vErrors.push(err108);
                    }
                    errors++;
                }
                if ((typeof data54 == "number") && (isFinite(data54))) {
                    if (data54 > 9007199254740991 || isNaN(data54)) {
                        const err109 = { instancePath: instancePath + "/slurm/nodes", schemaPath: "#/properties/slurm/properties/nodes/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema208.properties.slurm.properties.nodes, data: data54 };
                        if (vErrors === null) {
                            vErrors = [err109];
                        }
                        else {
                            vErrors.push(err109);
                        }
                        errors++;
                    }
                    if (data54 < 1 || isNaN(data54)) {
                        const err110 = { instancePath: instancePath + "/slurm/nodes", schemaPath: "#/properties/slurm/properties/nodes/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema208.properties.slurm.properties.nodes, data: data54 };
                        if (vErrors === null) {
                            vErrors = [err110];
                        }
                        else {
                            vErrors.push(err110);
                        }
                        errors++;
                    }
                }
            }
            if (data48.ntasks !== undefined) {
                let data55 = data48.ntasks;
                if (!(((typeof data55 == "number") && (!(data55 % 1) && !isNaN(data55))) && (isFinite(data55)))) {
                    const err111 = { instancePath: instancePath + "/slurm/ntasks", schemaPath: "#/properties/slurm/properties/ntasks/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema208.properties.slurm.properties.ntasks.type, parentSchema: schema208.properties.slurm.properties.ntasks, data: data55 };
                    if (vErrors === null) {
                        vErrors = [err111];
                    }
                    else {
                        vErrors.push(err111);
                    }
                    errors++;
                }
                if ((typeof data55 == "number") && (isFinite(data55))) {
                    if (data55 > 9007199254740991 || isNaN(data55)) {
                        const err112 = { instancePath: instancePath + "/slurm/ntasks", schemaPath: "#/properties/slurm/properties/ntasks/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema208.properties.slurm.properties.ntasks, data: data55 };
                        if (vErrors === null) {
                            vErrors = [err112];
                        }
                        else {
                            vErrors.push(err112);
                        }
                        errors++;
                    }
                    if (data55 < 1 || isNaN(data55)) {
                        const err113 = { instancePath: instancePath + "/slurm/ntasks", schemaPath: "#/properties/slurm/properties/ntasks/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema208.properties.slurm.properties.ntasks, data: data55 };
                        if (vErrors === null) {
                            vErrors = [err113];
                        }
                        else {
                            vErrors.push(err113);
                        }
                        errors++;
                    }
                }
            }
            if (data48.cpus_per_task !== undefined) {
                let data56 = data48.cpus_per_task;
                if (!(((typeof data56 == "number") && (!(data56 % 1) && !isNaN(data56))) && (isFinite(data56)))) {
                    const err114 = { instancePath: instancePath + "/slurm/cpus_per_task", schemaPath: "#/properties/slurm/properties/cpus_per_task/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema208.properties.slurm.properties.cpus_per_task.type, parentSchema: schema208.properties.slurm.properties.cpus_per_task, data: data56 };
                    if (vErrors === null) {
                        vErrors = [err114];
                    }
                    else {
                        vErrors.push(err114);
                    }
                    errors++;
                }
                if ((typeof data56 == "number") && (isFinite(data56))) {
                    if (data56 > 9007199254740991 || isNaN(data56)) {
                        const err115 = { instancePath: instancePath + "/slurm/cpus_per_task", schemaPath: "#/properties/slurm/properties/cpus_per_task/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema208.properties.slurm.properties.cpus_per_task, data: data56 };
                        if (vErrors === null) {
                            vErrors = [err115];
                        }
                        else {
                            vErrors.push(err115);
                        }
                        errors++;
                    }
                    if (data56 < 1 || isNaN(data56)) {
                        const err116 = { instancePath: instancePath + "/slurm/cpus_per_task", schemaPath: "#/properties/slurm/properties/cpus_per_task/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema208.properties.slurm.properties.cpus_per_task, data: data56 };
                        if (vErrors === null) {
                            vErrors = [err116];
                        }
                        else {
                            vErrors.push(err116);
                        }
                        errors++;
                    }
                }
            }
            if (data48.mem !== undefined) {
                let data57 = data48.mem;
                if (typeof data57 !== "string") {
                    const err117 = { instancePath: instancePath + "/slurm/mem", schemaPath: "#/properties/slurm/properties/mem/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.mem.type, parentSchema: schema208.properties.slurm.properties.mem, data: data57 };
                    if (vErrors === null) {
                        vErrors = [err117];
                    }
                    else {
                        vErrors.push(err117);
                    }
                    errors++;
                }
            }
            if (data48.gres !== undefined) {
                let data58 = data48.gres;
                if (typeof data58 !== "string") {
                    const err118 = { instancePath: instancePath + "/slurm/gres", schemaPath: "#/properties/slurm/properties/gres/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.gres.type, parentSchema: schema208.properties.slurm.properties.gres, data: data58 };
                    if (vErrors === null) {
                        vErrors = [err118];
                    }
                    else {
                        vErrors.push(err118);
                    }
                    errors++;
                }
            }
            if (data48.constraint !== undefined) {
                let data59 = data48.constraint;
                if (typeof data59 !== "string") {
                    const err119 = { instancePath: instancePath + "/slurm/constraint", schemaPath: "#/properties/slurm/properties/constraint/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.constraint.type, parentSchema: schema208.properties.slurm.properties.constraint, data: data59 };
                    if (vErrors === null) {
                        vErrors = [err119];
                    }
                    else {
                        vErrors.push(err119);
                    }
                    errors++;
                }
            }
            if (data48.output !== undefined) {
                let data60 = data48.output;
                if (typeof data60 !== "string") {
                    const err120 = { instancePath: instancePath + "/slurm/output", schemaPath: "#/properties/slurm/properties/output/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.output.type, parentSchema: schema208.properties.slurm.properties.output, data: data60 };
                    if (vErrors === null) {
                        vErrors = [err120];
                    }
                    else {
                        vErrors.push(err120);
                    }
                    errors++;
                }
            }
            if (data48.extra !== undefined) {
                let data61 = data48.extra;
                if (Array.isArray(data61)) {
                    const len5 = data61.length;
                    for (let i5 = 0; i5 < len5; i5++) {
                        let data62 = data61[i5];
                        if (typeof data62 === "string") {
                            if (!pattern14.test(data62)) {
                                const err121 = { instancePath: instancePath + "/slurm/extra/" + i5, schemaPath: "#/properties/slurm/properties/extra/items/pattern", keyword: "pattern", params: { pattern: "^--" }, message: "must match pattern \"" + "^--" + "\"", schema: "^--", parentSchema: schema208.properties.slurm.properties.extra.items, data: data62 };
                                if (vErrors === null) {
                                    vErrors = [err121];
                                }
                                else {
                                    vErrors.push(err121);
                                }
                                errors++;
                            }
                        }
                        else {
                            const err122 = { instancePath: instancePath + "/slurm/extra/" + i5, schemaPath: "#/properties/slurm/properties/extra/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.extra.items.type, parentSchema: schema208.properties.slurm.properties.extra.items, data: data62 };
                            if (vErrors === null) {
                                vErrors = [err122];
                            }
                            else {
                                vErrors.push(err122);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err123 = { instancePath: instancePath + "/slurm/extra", schemaPath: "#/properties/slurm/properties/extra/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema208.properties.slurm.properties.extra.type, parentSchema: schema208.properties.slurm.properties.extra, data: data61 };
                    if (vErrors === null) {
                        vErrors = [err123];
                    }
                    else {
                        vErrors.push(err123);
                    }
                    errors++;
                }
            }
            if (data48.setup !== undefined) {
                let data63 = data48.setup;
                if (Array.isArray(data63)) {
                    const len6 = data63.length;
                    for (let i6 = 0; i6 < len6; i6++) {
                        let data64 = data63[i6];
                        if (typeof data64 !== "string") {
                            const err124 = { instancePath: instancePath + "/slurm/setup/" + i6, schemaPath: "#/properties/slurm/properties/setup/items/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema208.properties.slurm.properties.setup.items.type, parentSchema: schema208.properties.slurm.properties.setup.items, data: data64 };
                            if (vErrors === null) {
                                vErrors = [err124];
                            }
                            else {
                                vErrors.push(err124);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err125 = { instancePath: instancePath + "/slurm/setup", schemaPath: "#/properties/slurm/properties/setup/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema208.properties.slurm.properties.setup.type, parentSchema: schema208.properties.slurm.properties.setup, data: data63 };
                    if (vErrors === null) {
                        vErrors = [err125];
                    }
                    else {
                        vErrors.push(err125);
                    }
                    errors++;
                }
            }
        }
        else {
            const err126 = { instancePath: instancePath + "/slurm", schemaPath: "#/properties/slurm/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.properties.slurm.type, parentSchema: schema208.properties.slurm, data: data48 };
            if (vErrors === null) {
                vErrors = [err126];
            }
            else {
                vErrors.push(err126);
            }
            errors++;
        }
    }
}
else {
    const err127 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema208.type, parentSchema: schema208, data };
    if (vErrors === null) {
        vErrors = [err127];
    }
    else {
        vErrors.push(err127);
    }
    errors++;
} validate75.errors = vErrors; return errors === 0; }
validate75.evaluated = { "props": true, "dynamicProps": false, "dynamicItems": false };
const validateBenchmarkHistory = validate76;
const schema216 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/benchmark-history.schema.json", "title": "history/<encoded branch>.json on the results branch: the benchmark history the judge learns from, schema_version 1", "description": "The newest runs of one source branch (at most 100 per environment, 300 in all), oldest first, with only what judging needs. Written by publish for runs of the default (baseline) branch whose benchmarks passed on a clean, pushed commit; pull-request runs never enter it.", "type": "object", "required": ["schema_version", "branch", "runs"], "properties": { "schema_version": { "const": 1 }, "branch": { "$ref": "defs.schema.json#/$defs/text" }, "runs": { "type": "array", "maxItems": 300, "items": { "$ref": "#/$defs/run" } } }, "$defs": { "run": { "type": "object", "required": ["commit", "environment", "benchmarks"], "properties": { "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "node": { "$ref": "defs.schema.json#/$defs/text" }, "environment": { "description": "What must match for two runs' timings to be comparable.", "type": "object", "properties": { "cluster": { "$ref": "defs.schema.json#/$defs/text" }, "cpu_model": { "$ref": "defs.schema.json#/$defs/text" }, "julia_version": { "$ref": "defs.schema.json#/$defs/text" }, "threads": { "$ref": "defs.schema.json#/$defs/count" }, "os": { "$ref": "defs.schema.json#/$defs/text" }, "arch": { "$ref": "defs.schema.json#/$defs/text" } } }, "benchmarks": { "type": "object", "maxProperties": 10000, "propertyNames": { "$ref": "defs.schema.json#/$defs/name" }, "additionalProperties": { "$ref": "#/$defs/point" } } } }, "point": { "type": "object", "properties": { "median_ms": { "$ref": "defs.schema.json#/$defs/milliseconds" }, "min_ms": { "$ref": "defs.schema.json#/$defs/milliseconds" }, "value": { "$ref": "defs.schema.json#/$defs/measure" }, "direction": { "enum": ["smaller_is_better", "bigger_is_better"] }, "allocs": { "$ref": "defs.schema.json#/$defs/count" }, "memory_bytes": { "$ref": "defs.schema.json#/$defs/count" } } } } };
const schema218 = { "type": "object", "required": ["commit", "environment", "benchmarks"], "properties": { "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "generated_at": { "$ref": "defs.schema.json#/$defs/timestamp" }, "node": { "$ref": "defs.schema.json#/$defs/text" }, "environment": { "description": "What must match for two runs' timings to be comparable.", "type": "object", "properties": { "cluster": { "$ref": "defs.schema.json#/$defs/text" }, "cpu_model": { "$ref": "defs.schema.json#/$defs/text" }, "julia_version": { "$ref": "defs.schema.json#/$defs/text" }, "threads": { "$ref": "defs.schema.json#/$defs/count" }, "os": { "$ref": "defs.schema.json#/$defs/text" }, "arch": { "$ref": "defs.schema.json#/$defs/text" } } }, "benchmarks": { "type": "object", "maxProperties": 10000, "propertyNames": { "$ref": "defs.schema.json#/$defs/name" }, "additionalProperties": { "$ref": "#/$defs/point" } } } };
const schema229 = { "type": "object", "properties": { "median_ms": { "$ref": "defs.schema.json#/$defs/milliseconds" }, "min_ms": { "$ref": "defs.schema.json#/$defs/milliseconds" }, "value": { "$ref": "defs.schema.json#/$defs/measure" }, "direction": { "enum": ["smaller_is_better", "bigger_is_better"] }, "allocs": { "$ref": "defs.schema.json#/$defs/count" }, "memory_bytes": { "$ref": "defs.schema.json#/$defs/count" } } };
function validate78(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate78.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.median_ms !== undefined) {
        let data0 = data.median_ms;
        if ((typeof data0 == "number") && (isFinite(data0))) {
            if (data0 > 315576000000 || isNaN(data0)) {
                const err0 = { instancePath: instancePath + "/median_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data0 };
                if (vErrors === null) {
                    vErrors = [err0];
                }
                else {
                    vErrors.push(err0);
                }
                errors++;
            }
            if (data0 < 0 || isNaN(data0)) {
                const err1 = { instancePath: instancePath + "/median_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data0 };
                if (vErrors === null) {
                    vErrors = [err1];
                }
                else {
                    vErrors.push(err1);
                }
                errors++;
            }
        }
        else {
            const err2 = { instancePath: instancePath + "/median_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data0 };
            if (vErrors === null) {
                vErrors = [err2];
            }
            else {
                vErrors.push(err2);
            }
            errors++;
        }
    }
    if (data.min_ms !== undefined) {
        let data1 = data.min_ms;
        if ((typeof data1 == "number") && (isFinite(data1))) {
            if (data1 > 315576000000 || isNaN(data1)) {
                const err3 = { instancePath: instancePath + "/min_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/maximum", keyword: "maximum", params: { comparison: "<=", limit: 315576000000 }, message: "must be <= 315576000000", schema: 315576000000, parentSchema: schema98, data: data1 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
            if (data1 < 0 || isNaN(data1)) {
                const err4 = { instancePath: instancePath + "/min_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema98, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/min_ms", schemaPath: "defs.schema.json#/$defs/milliseconds/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema98.type, parentSchema: schema98, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.value !== undefined) {
        let data2 = data.value;
        if ((typeof data2 == "number") && (isFinite(data2))) {
            if (data2 > 1000000000000000 || isNaN(data2)) {
                const err6 = { instancePath: instancePath + "/value", schemaPath: "defs.schema.json#/$defs/measure/maximum", keyword: "maximum", params: { comparison: "<=", limit: 1000000000000000 }, message: "must be <= 1000000000000000", schema: 1000000000000000, parentSchema: schema108, data: data2 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            if (data2 < -1000000000000000 || isNaN(data2)) {
                const err7 = { instancePath: instancePath + "/value", schemaPath: "defs.schema.json#/$defs/measure/minimum", keyword: "minimum", params: { comparison: ">=", limit: -1000000000000000 }, message: "must be >= -1000000000000000", schema: -1000000000000000, parentSchema: schema108, data: data2 };
                if (vErrors === null) {
                    vErrors = [err7];
                }
                else {
                    vErrors.push(err7);
                }
                errors++;
            }
        }
        else {
            const err8 = { instancePath: instancePath + "/value", schemaPath: "defs.schema.json#/$defs/measure/type", keyword: "type", params: { type: "number" }, message: "must be number", schema: schema108.type, parentSchema: schema108, data: data2 };
            if (vErrors === null) {
                vErrors = [err8];
            }
            else {
                vErrors.push(err8);
            }
            errors++;
        }
    }
    if (data.direction !== undefined) {
        let data3 = data.direction;
        if (!((data3 === "smaller_is_better") || (data3 === "bigger_is_better"))) {
            const err9 = { instancePath: instancePath + "/direction", schemaPath: "#/properties/direction/enum", keyword: "enum", params: { allowedValues: schema229.properties.direction.enum }, message: "must be equal to one of the allowed values", schema: schema229.properties.direction.enum, parentSchema: schema229.properties.direction, data: data3 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
    }
    if (data.allocs !== undefined) {
        let data4 = data.allocs;
        if (!(((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4))) && (isFinite(data4)))) {
            const err10 = { instancePath: instancePath + "/allocs", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data4 };
            if (vErrors === null) {
                vErrors = [err10];
            }
            else {
                vErrors.push(err10);
            }
            errors++;
        }
        if ((typeof data4 == "number") && (isFinite(data4))) {
            if (data4 > 9007199254740991 || isNaN(data4)) {
                const err11 = { instancePath: instancePath + "/allocs", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err11];
                }
                else {
                    vErrors.push(err11);
                }
                errors++;
            }
            if (data4 < 0 || isNaN(data4)) {
                const err12 = { instancePath: instancePath + "/allocs", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data4 };
                if (vErrors === null) {
                    vErrors = [err12];
                }
                else {
                    vErrors.push(err12);
                }
                errors++;
            }
        }
    }
    if (data.memory_bytes !== undefined) {
        let data5 = data.memory_bytes;
        if (!(((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5))) && (isFinite(data5)))) {
            const err13 = { instancePath: instancePath + "/memory_bytes", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data5 };
            if (vErrors === null) {
                vErrors = [err13];
            }
            else {
                vErrors.push(err13);
            }
            errors++;
        }
        if ((typeof data5 == "number") && (isFinite(data5))) {
            if (data5 > 9007199254740991 || isNaN(data5)) {
                const err14 = { instancePath: instancePath + "/memory_bytes", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err14];
                }
                else {
                    vErrors.push(err14);
                }
                errors++;
            }
            if (data5 < 0 || isNaN(data5)) {
                const err15 = { instancePath: instancePath + "/memory_bytes", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data5 };
                if (vErrors === null) {
                    vErrors = [err15];
                }
                else {
                    vErrors.push(err15);
                }
                errors++;
            }
        }
    }
}
else {
    const err16 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema229.type, parentSchema: schema229, data };
    if (vErrors === null) {
        vErrors = [err16];
    }
    else {
        vErrors.push(err16);
    }
    errors++;
} validate78.errors = vErrors; return errors === 0; }
validate78.evaluated = { "props": { "median_ms": true, "min_ms": true, "value": true, "direction": true, "allocs": true, "memory_bytes": true }, "dynamicProps": false, "dynamicItems": false };
function validate77(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { let vErrors = null; let errors = 0; const evaluated0 = validate77.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.commit === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema218.required, parentSchema: schema218, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.environment === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "environment" }, message: "must have required property '" + "environment" + "'", schema: schema218.required, parentSchema: schema218, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.benchmarks === undefined) {
        const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "benchmarks" }, message: "must have required property '" + "benchmarks" + "'", schema: schema218.required, parentSchema: schema218, data };
        if (vErrors === null) {
            vErrors = [err2];
        }
        else {
            vErrors.push(err2);
        }
        errors++;
    }
    if (data.commit !== undefined) {
        let data0 = data.commit;
        if (typeof data0 === "string") {
            if (!pattern4.test(data0)) {
                const err3 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data0 };
                if (vErrors === null) {
                    vErrors = [err3];
                }
                else {
                    vErrors.push(err3);
                }
                errors++;
            }
        }
        else {
            const err4 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data0 };
            if (vErrors === null) {
                vErrors = [err4];
            }
            else {
                vErrors.push(err4);
            }
            errors++;
        }
    }
    if (data.generated_at !== undefined) {
        let data1 = data.generated_at;
        if (typeof data1 === "string") {
            if (func1(data1) > 64) {
                const err5 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/maxLength", keyword: "maxLength", params: { limit: 64 }, message: "must NOT have more than 64 characters", schema: 64, parentSchema: schema35, data: data1 };
                if (vErrors === null) {
                    vErrors = [err5];
                }
                else {
                    vErrors.push(err5);
                }
                errors++;
            }
            if (!(formats0.validate(data1))) {
                const err6 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/format", keyword: "format", params: { format: "date-time" }, message: "must match format \"" + "date-time" + "\"", schema: "date-time", parentSchema: schema35, data: data1 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
        }
        else {
            const err7 = { instancePath: instancePath + "/generated_at", schemaPath: "defs.schema.json#/$defs/timestamp/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema35.type, parentSchema: schema35, data: data1 };
            if (vErrors === null) {
                vErrors = [err7];
            }
            else {
                vErrors.push(err7);
            }
            errors++;
        }
    }
    if (data.node !== undefined) {
        let data2 = data.node;
        if (typeof data2 === "string") {
            if (func1(data2) > 4096) {
                const err8 = { instancePath: instancePath + "/node", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data2 };
                if (vErrors === null) {
                    vErrors = [err8];
                }
                else {
                    vErrors.push(err8);
                }
                errors++;
            }
        }
        else {
            const err9 = { instancePath: instancePath + "/node", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data2 };
            if (vErrors === null) {
                vErrors = [err9];
            }
            else {
                vErrors.push(err9);
            }
            errors++;
        }
    }
    if (data.environment !== undefined) {
        let data3 = data.environment;
        if (data3 && typeof data3 == "object" && !Array.isArray(data3)) {
            if (data3.cluster !== undefined) {
                let data4 = data3.cluster;
                if (typeof data4 === "string") {
                    if (func1(data4) > 4096) {
                        const err10 = { instancePath: instancePath + "/environment/cluster", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data4 };
                        if (vErrors === null) {
                            vErrors = [err10];
                        }
                        else {
                            vErrors.push(err10);
                        }
                        errors++;
                    }
                }
                else {
                    const err11 = { instancePath: instancePath + "/environment/cluster", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data4 };
                    if (vErrors === null) {
                        vErrors = [err11];
                    }
                    else {
                        vErrors.push(err11);
                    }
                    errors++;
                }
            }
            if (data3.cpu_model !== undefined) {
                let data5 = data3.cpu_model;
                if (typeof data5 === "string") {
                    if (func1(data5) > 4096) {
                        const err12 = { instancePath: instancePath + "/environment/cpu_model", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data5 };
                        if (vErrors === null) {
                            vErrors = [err12];
                        }
                        else {
                            vErrors.push(err12);
                        }
                        errors++;
                    }
                }
                else {
                    const err13 = { instancePath: instancePath + "/environment/cpu_model", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data5 };
                    if (vErrors === null) {
                        vErrors = [err13];
                    }
                    else {
                        vErrors.push(err13);
                    }
                    errors++;
                }
            }
            if (data3.julia_version !== undefined) {
                let data6 = data3.julia_version;
                if (typeof data6 === "string") {
                    if (func1(data6) > 4096) {
                        const err14 = { instancePath: instancePath + "/environment/julia_version", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data6 };
                        if (vErrors === null) {
                            vErrors = [err14];
                        }
                        else {
                            vErrors.push(err14);
                        }
                        errors++;
                    }
                }
                else {
                    const err15 = { instancePath: instancePath + "/environment/julia_version", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data6 };
                    if (vErrors === null) {
                        vErrors = [err15];
                    }
                    else {
                        vErrors.push(err15);
                    }
                    errors++;
                }
            }
            if (data3.threads !== undefined) {
                let data7 = data3.threads;
                if (!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))) {
                    const err16 = { instancePath: instancePath + "/environment/threads", schemaPath: "defs.schema.json#/$defs/count/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema44.type, parentSchema: schema44, data: data7 };
                    if (vErrors === null) {
                        vErrors = [err16];
                    }
                    else {
                        vErrors.push(err16);
                    }
                    errors++;
                }
                if ((typeof data7 == "number") && (isFinite(data7))) {
                    if (data7 > 9007199254740991 || isNaN(data7)) {
                        const err17 = { instancePath: instancePath + "/environment/threads", schemaPath: "defs.schema.json#/$defs/count/maximum", keyword: "maximum", params: { comparison: "<=", limit: 9007199254740991 }, message: "must be <= 9007199254740991", schema: 9007199254740991, parentSchema: schema44, data: data7 };
                        if (vErrors === null) {
                            vErrors = [err17];
                        }
                        else {
                            vErrors.push(err17);
                        }
                        errors++;
                    }
                    if (data7 < 0 || isNaN(data7)) {
                        const err18 = { instancePath: instancePath + "/environment/threads", schemaPath: "defs.schema.json#/$defs/count/minimum", keyword: "minimum", params: { comparison: ">=", limit: 0 }, message: "must be >= 0", schema: 0, parentSchema: schema44, data: data7 };
                        if (vErrors === null) {
                            vErrors = [err18];
                        }
                        else {
                            vErrors.push(err18);
                        }
                        errors++;
                    }
                }
            }
            if (data3.os !== undefined) {
                let data8 = data3.os;
                if (typeof data8 === "string") {
                    if (func1(data8) > 4096) {
                        const err19 = { instancePath: instancePath + "/environment/os", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data8 };
                        if (vErrors === null) {
                            vErrors = [err19];
                        }
                        else {
                            vErrors.push(err19);
                        }
                        errors++;
                    }
                }
                else {
                    const err20 = { instancePath: instancePath + "/environment/os", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data8 };
                    if (vErrors === null) {
                        vErrors = [err20];
                    }
                    else {
                        vErrors.push(err20);
                    }
                    errors++;
                }
            }
            if (data3.arch !== undefined) {
                let data9 = data3.arch;
                if (typeof data9 === "string") {
                    if (func1(data9) > 4096) {
                        const err21 = { instancePath: instancePath + "/environment/arch", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data9 };
                        if (vErrors === null) {
                            vErrors = [err21];
                        }
                        else {
                            vErrors.push(err21);
                        }
                        errors++;
                    }
                }
                else {
                    const err22 = { instancePath: instancePath + "/environment/arch", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data9 };
                    if (vErrors === null) {
                        vErrors = [err22];
                    }
                    else {
                        vErrors.push(err22);
                    }
                    errors++;
                }
            }
        }
        else {
            const err23 = { instancePath: instancePath + "/environment", schemaPath: "#/properties/environment/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema218.properties.environment.type, parentSchema: schema218.properties.environment, data: data3 };
            if (vErrors === null) {
                vErrors = [err23];
            }
            else {
                vErrors.push(err23);
            }
            errors++;
        }
    }
    if (data.benchmarks !== undefined) {
        let data10 = data.benchmarks;
        if (data10 && typeof data10 == "object" && !Array.isArray(data10)) {
            if (Object.keys(data10).length > 10000) {
                const err24 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/maxProperties", keyword: "maxProperties", params: { limit: 10000 }, message: "must NOT have more than 10000 properties", schema: 10000, parentSchema: schema218.properties.benchmarks, data: data10 };
                if (vErrors === null) {
                    vErrors = [err24];
                }
                else {
                    vErrors.push(err24);
                }
                errors++;
            }
            for (const key0 in data10) {
                const _errs32 = errors;
                if (typeof key0 === "string") {
                    if (func1(key0) > 512) {
                        const err25 = { instancePath: instancePath + "/benchmarks", schemaPath: "defs.schema.json#/$defs/name/maxLength", keyword: "maxLength", params: { limit: 512 }, message: "must NOT have more than 512 characters", schema: 512, parentSchema: schema49, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err25];
                        }
                        else {
                            vErrors.push(err25);
                        }
                        errors++;
                    }
                    if (func1(key0) < 1) {
                        const err26 = { instancePath: instancePath + "/benchmarks", schemaPath: "defs.schema.json#/$defs/name/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema49, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err26];
                        }
                        else {
                            vErrors.push(err26);
                        }
                        errors++;
                    }
                }
                else {
                    const err27 = { instancePath: instancePath + "/benchmarks", schemaPath: "defs.schema.json#/$defs/name/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema49.type, parentSchema: schema49, data: key0, propertyName: key0 };
                    if (vErrors === null) {
                        vErrors = [err27];
                    }
                    else {
                        vErrors.push(err27);
                    }
                    errors++;
                }
                var valid11 = _errs32 === errors;
                if (!valid11) {
                    const err28 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema218.properties.benchmarks.propertyNames, parentSchema: schema218.properties.benchmarks, data: data10 };
                    if (vErrors === null) {
                        vErrors = [err28];
                    }
                    else {
                        vErrors.push(err28);
                    }
                    errors++;
                }
            }
            for (const key1 in data10) {
                if (!(validate78(data10[key1], { instancePath: instancePath + "/benchmarks/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), parentData: data10, parentDataProperty: key1, rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate78.errors : vErrors.concat(validate78.errors);
                    errors = vErrors.length;
                }
            }
        }
        else {
            const err29 = { instancePath: instancePath + "/benchmarks", schemaPath: "#/properties/benchmarks/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema218.properties.benchmarks.type, parentSchema: schema218.properties.benchmarks, data: data10 };
            if (vErrors === null) {
                vErrors = [err29];
            }
            else {
                vErrors.push(err29);
            }
            errors++;
        }
    }
}
else {
    const err30 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema218.type, parentSchema: schema218, data };
    if (vErrors === null) {
        vErrors = [err30];
    }
    else {
        vErrors.push(err30);
    }
    errors++;
} validate77.errors = vErrors; return errors === 0; }
validate77.evaluated = { "props": { "commit": true, "generated_at": true, "node": true, "environment": true, "benchmarks": true }, "dynamicProps": false, "dynamicItems": false };
function validate76(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/benchmark-history.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate76.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.schema_version === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schema_version" }, message: "must have required property '" + "schema_version" + "'", schema: schema216.required, parentSchema: schema216, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.branch === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "branch" }, message: "must have required property '" + "branch" + "'", schema: schema216.required, parentSchema: schema216, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.runs === undefined) {
        const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "runs" }, message: "must have required property '" + "runs" + "'", schema: schema216.required, parentSchema: schema216, data };
        if (vErrors === null) {
            vErrors = [err2];
        }
        else {
            vErrors.push(err2);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err3 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema216.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    if (data.branch !== undefined) {
        let data1 = data.branch;
        if (typeof data1 === "string") {
            if (func1(data1) > 4096) {
                const err4 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/maxLength", keyword: "maxLength", params: { limit: 4096 }, message: "must NOT have more than 4096 characters", schema: 4096, parentSchema: schema34, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/branch", schemaPath: "defs.schema.json#/$defs/text/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema34.type, parentSchema: schema34, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.runs !== undefined) {
        let data2 = data.runs;
        if (Array.isArray(data2)) {
            if (data2.length > 300) {
                const err6 = { instancePath: instancePath + "/runs", schemaPath: "#/properties/runs/maxItems", keyword: "maxItems", params: { limit: 300 }, message: "must NOT have more than 300 items", schema: 300, parentSchema: schema216.properties.runs, data: data2 };
                if (vErrors === null) {
                    vErrors = [err6];
                }
                else {
                    vErrors.push(err6);
                }
                errors++;
            }
            const len0 = data2.length;
            for (let i0 = 0; i0 < len0; i0++) {
                if (!(validate77(data2[i0], { instancePath: instancePath + "/runs/" + i0, parentData: data2, parentDataProperty: i0, rootData, dynamicAnchors }))) {
                    vErrors = vErrors === null ? validate77.errors : vErrors.concat(validate77.errors);
                    errors = vErrors.length;
                }
            }
        }
        else {
            const err7 = { instancePath: instancePath + "/runs", schemaPath: "#/properties/runs/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema216.properties.runs.type, parentSchema: schema216.properties.runs, data: data2 };
            if (vErrors === null) {
                vErrors = [err7];
            }
            else {
                vErrors.push(err7);
            }
            errors++;
        }
    }
}
else {
    const err8 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema216.type, parentSchema: schema216, data };
    if (vErrors === null) {
        vErrors = [err8];
    }
    else {
        vErrors.push(err8);
    }
    errors++;
} validate76.errors = vErrors; return errors === 0; }
validate76.evaluated = { "props": { "schema_version": true, "branch": true, "runs": true }, "dynamicProps": false, "dynamicItems": false };
const validateCoverageLines = validate81;
const schema235 = { "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/coverage-lines.schema.json", "title": "coverage/lines.json (and <sha>/coverage-lines.json on the results branch), schema_version 1", "description": "Which lines the run executed, by repository-relative path, for patch coverage. Lines are inclusive [first, last] ranges in ascending order; a line in neither list is not executable.", "type": "object", "required": ["schema_version", "commit", "files"], "properties": { "schema_version": { "const": 1 }, "commit": { "$ref": "defs.schema.json#/$defs/commit" }, "files": { "type": "object", "propertyNames": { "type": "string", "minLength": 1, "maxLength": 1024 }, "additionalProperties": { "type": "object", "required": ["covered", "missed"], "properties": { "covered": { "$ref": "#/$defs/ranges" }, "missed": { "$ref": "#/$defs/ranges" } }, "additionalProperties": false } } }, "$defs": { "ranges": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer", "minimum": 1, "maximum": 2147483647 }, { "type": "integer", "minimum": 1, "maximum": 2147483647 }], "items": false, "minItems": 2 } } } };
const schema237 = { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer", "minimum": 1, "maximum": 2147483647 }, { "type": "integer", "minimum": 1, "maximum": 2147483647 }], "items": false, "minItems": 2 } };
function validate81(data, { instancePath = "", parentData, parentDataProperty, rootData = data, dynamicAnchors = {} } = {}) { /*# sourceURL="https://raw.githubusercontent.com/hpc-ci-actions/hpc-ci-actions/v1/schemas/coverage-lines.schema.json" */ ; let vErrors = null; let errors = 0; const evaluated0 = validate81.evaluated; if (evaluated0.dynamicProps) {
    evaluated0.props = undefined;
} if (evaluated0.dynamicItems) {
    evaluated0.items = undefined;
} if (data && typeof data == "object" && !Array.isArray(data)) {
    if (data.schema_version === undefined) {
        const err0 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "schema_version" }, message: "must have required property '" + "schema_version" + "'", schema: schema235.required, parentSchema: schema235, data };
        if (vErrors === null) {
            vErrors = [err0];
        }
        else {
            vErrors.push(err0);
        }
        errors++;
    }
    if (data.commit === undefined) {
        const err1 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "commit" }, message: "must have required property '" + "commit" + "'", schema: schema235.required, parentSchema: schema235, data };
        if (vErrors === null) {
            vErrors = [err1];
        }
        else {
            vErrors.push(err1);
        }
        errors++;
    }
    if (data.files === undefined) {
        const err2 = { instancePath, schemaPath: "#/required", keyword: "required", params: { missingProperty: "files" }, message: "must have required property '" + "files" + "'", schema: schema235.required, parentSchema: schema235, data };
        if (vErrors === null) {
            vErrors = [err2];
        }
        else {
            vErrors.push(err2);
        }
        errors++;
    }
    if (data.schema_version !== undefined) {
        let data0 = data.schema_version;
        if (1 !== data0) {
            const err3 = { instancePath: instancePath + "/schema_version", schemaPath: "#/properties/schema_version/const", keyword: "const", params: { allowedValue: 1 }, message: "must be equal to constant", schema: 1, parentSchema: schema235.properties.schema_version, data: data0 };
            if (vErrors === null) {
                vErrors = [err3];
            }
            else {
                vErrors.push(err3);
            }
            errors++;
        }
    }
    if (data.commit !== undefined) {
        let data1 = data.commit;
        if (typeof data1 === "string") {
            if (!pattern4.test(data1)) {
                const err4 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/pattern", keyword: "pattern", params: { pattern: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" }, message: "must match pattern \"" + "^(?:[0-9a-f]{40}|[0-9a-f]{64})$" + "\"", schema: "^(?:[0-9a-f]{40}|[0-9a-f]{64})$", parentSchema: schema33, data: data1 };
                if (vErrors === null) {
                    vErrors = [err4];
                }
                else {
                    vErrors.push(err4);
                }
                errors++;
            }
        }
        else {
            const err5 = { instancePath: instancePath + "/commit", schemaPath: "defs.schema.json#/$defs/commit/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema33.type, parentSchema: schema33, data: data1 };
            if (vErrors === null) {
                vErrors = [err5];
            }
            else {
                vErrors.push(err5);
            }
            errors++;
        }
    }
    if (data.files !== undefined) {
        let data2 = data.files;
        if (data2 && typeof data2 == "object" && !Array.isArray(data2)) {
            for (const key0 in data2) {
                const _errs7 = errors;
                if (typeof key0 === "string") {
                    if (func1(key0) > 1024) {
                        const err6 = { instancePath: instancePath + "/files", schemaPath: "#/properties/files/propertyNames/maxLength", keyword: "maxLength", params: { limit: 1024 }, message: "must NOT have more than 1024 characters", schema: 1024, parentSchema: schema235.properties.files.propertyNames, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err6];
                        }
                        else {
                            vErrors.push(err6);
                        }
                        errors++;
                    }
                    if (func1(key0) < 1) {
                        const err7 = { instancePath: instancePath + "/files", schemaPath: "#/properties/files/propertyNames/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters", schema: 1, parentSchema: schema235.properties.files.propertyNames, data: key0, propertyName: key0 };
                        if (vErrors === null) {
                            vErrors = [err7];
                        }
                        else {
                            vErrors.push(err7);
                        }
                        errors++;
                    }
                }
                else {
                    const err8 = { instancePath: instancePath + "/files", schemaPath: "#/properties/files/propertyNames/type", keyword: "type", params: { type: "string" }, message: "must be string", schema: schema235.properties.files.propertyNames.type, parentSchema: schema235.properties.files.propertyNames, data: key0, propertyName: key0 };
                    if (vErrors === null) {
                        vErrors = [err8];
                    }
                    else {
                        vErrors.push(err8);
                    }
                    errors++;
                }
                var valid2 = _errs7 === errors;
                if (!valid2) {
                    const err9 = { instancePath: instancePath + "/files", schemaPath: "#/properties/files/propertyNames", keyword: "propertyNames", params: { propertyName: key0 }, message: "property name must be valid", schema: schema235.properties.files.propertyNames, parentSchema: schema235.properties.files, data: data2 };
                    if (vErrors === null) {
                        vErrors = [err9];
                    }
                    else {
                        vErrors.push(err9);
                    }
                    errors++;
                }
            }
            for (const key1 in data2) {
                let data3 = data2[key1];
                if (data3 && typeof data3 == "object" && !Array.isArray(data3)) {
                    if (data3.covered === undefined) {
                        const err10 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/files/additionalProperties/required", keyword: "required", params: { missingProperty: "covered" }, message: "must have required property '" + "covered" + "'", schema: schema235.properties.files.additionalProperties.required, parentSchema: schema235.properties.files.additionalProperties, data: data3 };
                        if (vErrors === null) {
                            vErrors = [err10];
                        }
                        else {
                            vErrors.push(err10);
                        }
                        errors++;
                    }
                    if (data3.missed === undefined) {
                        const err11 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/files/additionalProperties/required", keyword: "required", params: { missingProperty: "missed" }, message: "must have required property '" + "missed" + "'", schema: schema235.properties.files.additionalProperties.required, parentSchema: schema235.properties.files.additionalProperties, data: data3 };
                        if (vErrors === null) {
                            vErrors = [err11];
                        }
                        else {
                            vErrors.push(err11);
                        }
                        errors++;
                    }
                    for (const key2 in data3) {
                        if (!((key2 === "covered") || (key2 === "missed"))) {
                            const err12 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/files/additionalProperties/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties", schema: false, parentSchema: schema235.properties.files.additionalProperties, data: data3 };
                            if (vErrors === null) {
                                vErrors = [err12];
                            }
                            else {
                                vErrors.push(err12);
                            }
                            errors++;
                        }
                    }
                    if (data3.covered !== undefined) {
                        let data4 = data3.covered;
                        if (Array.isArray(data4)) {
                            const len0 = data4.length;
                            for (let i0 = 0; i0 < len0; i0++) {
                                let data5 = data4[i0];
                                if (Array.isArray(data5)) {
                                    if (data5.length < 2) {
                                        const err13 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0, schemaPath: "#/$defs/ranges/items/minItems", keyword: "minItems", params: { limit: 2 }, message: "must NOT have fewer than 2 items", schema: 2, parentSchema: schema237.items, data: data5 };
                                        if (vErrors === null) {
                                            vErrors = [err13];
                                        }
                                        else {
                                            vErrors.push(err13);
                                        }
                                        errors++;
                                    }
                                    const len1 = data5.length;
                                    if (len1 > 0) {
                                        let data6 = data5[0];
                                        if (!(((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6))) && (isFinite(data6)))) {
                                            const err14 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema237.items.prefixItems[0].type, parentSchema: schema237.items.prefixItems[0], data: data6 };
                                            if (vErrors === null) {
                                                vErrors = [err14];
                                            }
                                            else {
                                                vErrors.push(err14);
                                            }
                                            errors++;
                                        }
                                        if ((typeof data6 == "number") && (isFinite(data6))) {
                                            if (data6 > 2147483647 || isNaN(data6)) {
                                                const err15 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/maximum", keyword: "maximum", params: { comparison: "<=", limit: 2147483647 }, message: "must be <= 2147483647", schema: 2147483647, parentSchema: schema237.items.prefixItems[0], data: data6 };
                                                if (vErrors === null) {
                                                    vErrors = [err15];
                                                }
                                                else {
                                                    vErrors.push(err15);
                                                }
                                                errors++;
                                            }
                                            if (data6 < 1 || isNaN(data6)) {
                                                const err16 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema237.items.prefixItems[0], data: data6 };
                                                if (vErrors === null) {
                                                    vErrors = [err16];
                                                }
                                                else {
                                                    vErrors.push(err16);
                                                }
                                                errors++;
                                            }
                                        }
                                    }
                                    if (len1 > 1) {
                                        let data7 = data5[1];
                                        if (!(((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7))) && (isFinite(data7)))) {
                                            const err17 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema237.items.prefixItems[1].type, parentSchema: schema237.items.prefixItems[1], data: data7 };
                                            if (vErrors === null) {
                                                vErrors = [err17];
                                            }
                                            else {
                                                vErrors.push(err17);
                                            }
                                            errors++;
                                        }
                                        if ((typeof data7 == "number") && (isFinite(data7))) {
                                            if (data7 > 2147483647 || isNaN(data7)) {
                                                const err18 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/maximum", keyword: "maximum", params: { comparison: "<=", limit: 2147483647 }, message: "must be <= 2147483647", schema: 2147483647, parentSchema: schema237.items.prefixItems[1], data: data7 };
                                                if (vErrors === null) {
                                                    vErrors = [err18];
                                                }
                                                else {
                                                    vErrors.push(err18);
                                                }
                                                errors++;
                                            }
                                            if (data7 < 1 || isNaN(data7)) {
                                                const err19 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema237.items.prefixItems[1], data: data7 };
                                                if (vErrors === null) {
                                                    vErrors = [err19];
                                                }
                                                else {
                                                    vErrors.push(err19);
                                                }
                                                errors++;
                                            }
                                        }
                                    }
                                    const len2 = data5.length;
                                    if (!(len2 <= 2)) {
                                        const err20 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0, schemaPath: "#/$defs/ranges/items/items", keyword: "items", params: { limit: 2 }, message: "must NOT have more than 2 items", schema: false, parentSchema: schema237.items, data: data5 };
                                        if (vErrors === null) {
                                            vErrors = [err20];
                                        }
                                        else {
                                            vErrors.push(err20);
                                        }
                                        errors++;
                                    }
                                }
                                else {
                                    const err21 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered/" + i0, schemaPath: "#/$defs/ranges/items/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema237.items.type, parentSchema: schema237.items, data: data5 };
                                    if (vErrors === null) {
                                        vErrors = [err21];
                                    }
                                    else {
                                        vErrors.push(err21);
                                    }
                                    errors++;
                                }
                            }
                        }
                        else {
                            const err22 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/covered", schemaPath: "#/$defs/ranges/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema237.type, parentSchema: schema237, data: data4 };
                            if (vErrors === null) {
                                vErrors = [err22];
                            }
                            else {
                                vErrors.push(err22);
                            }
                            errors++;
                        }
                    }
                    if (data3.missed !== undefined) {
                        let data8 = data3.missed;
                        if (Array.isArray(data8)) {
                            const len3 = data8.length;
                            for (let i1 = 0; i1 < len3; i1++) {
                                let data9 = data8[i1];
                                if (Array.isArray(data9)) {
                                    if (data9.length < 2) {
                                        const err23 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1, schemaPath: "#/$defs/ranges/items/minItems", keyword: "minItems", params: { limit: 2 }, message: "must NOT have fewer than 2 items", schema: 2, parentSchema: schema237.items, data: data9 };
                                        if (vErrors === null) {
                                            vErrors = [err23];
                                        }
                                        else {
                                            vErrors.push(err23);
                                        }
                                        errors++;
                                    }
                                    const len4 = data9.length;
                                    if (len4 > 0) {
                                        let data10 = data9[0];
                                        if (!(((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10))) && (isFinite(data10)))) {
                                            const err24 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema237.items.prefixItems[0].type, parentSchema: schema237.items.prefixItems[0], data: data10 };
                                            if (vErrors === null) {
                                                vErrors = [err24];
                                            }
                                            else {
                                                vErrors.push(err24);
                                            }
                                            errors++;
                                        }
                                        if ((typeof data10 == "number") && (isFinite(data10))) {
                                            if (data10 > 2147483647 || isNaN(data10)) {
                                                const err25 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/maximum", keyword: "maximum", params: { comparison: "<=", limit: 2147483647 }, message: "must be <= 2147483647", schema: 2147483647, parentSchema: schema237.items.prefixItems[0], data: data10 };
                                                if (vErrors === null) {
                                                    vErrors = [err25];
                                                }
                                                else {
                                                    vErrors.push(err25);
                                                }
                                                errors++;
                                            }
                                            if (data10 < 1 || isNaN(data10)) {
                                                const err26 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/0", schemaPath: "#/$defs/ranges/items/prefixItems/0/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema237.items.prefixItems[0], data: data10 };
                                                if (vErrors === null) {
                                                    vErrors = [err26];
                                                }
                                                else {
                                                    vErrors.push(err26);
                                                }
                                                errors++;
                                            }
                                        }
                                    }
                                    if (len4 > 1) {
                                        let data11 = data9[1];
                                        if (!(((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11))) && (isFinite(data11)))) {
                                            const err27 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/type", keyword: "type", params: { type: "integer" }, message: "must be integer", schema: schema237.items.prefixItems[1].type, parentSchema: schema237.items.prefixItems[1], data: data11 };
                                            if (vErrors === null) {
                                                vErrors = [err27];
                                            }
                                            else {
                                                vErrors.push(err27);
                                            }
                                            errors++;
                                        }
                                        if ((typeof data11 == "number") && (isFinite(data11))) {
                                            if (data11 > 2147483647 || isNaN(data11)) {
                                                const err28 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/maximum", keyword: "maximum", params: { comparison: "<=", limit: 2147483647 }, message: "must be <= 2147483647", schema: 2147483647, parentSchema: schema237.items.prefixItems[1], data: data11 };
                                                if (vErrors === null) {
                                                    vErrors = [err28];
                                                }
                                                else {
                                                    vErrors.push(err28);
                                                }
                                                errors++;
                                            }
                                            if (data11 < 1 || isNaN(data11)) {
                                                const err29 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1 + "/1", schemaPath: "#/$defs/ranges/items/prefixItems/1/minimum", keyword: "minimum", params: { comparison: ">=", limit: 1 }, message: "must be >= 1", schema: 1, parentSchema: schema237.items.prefixItems[1], data: data11 };
                                                if (vErrors === null) {
                                                    vErrors = [err29];
                                                }
                                                else {
                                                    vErrors.push(err29);
                                                }
                                                errors++;
                                            }
                                        }
                                    }
                                    const len5 = data9.length;
                                    if (!(len5 <= 2)) {
                                        const err30 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1, schemaPath: "#/$defs/ranges/items/items", keyword: "items", params: { limit: 2 }, message: "must NOT have more than 2 items", schema: false, parentSchema: schema237.items, data: data9 };
                                        if (vErrors === null) {
                                            vErrors = [err30];
                                        }
                                        else {
                                            vErrors.push(err30);
                                        }
                                        errors++;
                                    }
                                }
                                else {
                                    const err31 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed/" + i1, schemaPath: "#/$defs/ranges/items/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema237.items.type, parentSchema: schema237.items, data: data9 };
                                    if (vErrors === null) {
                                        vErrors = [err31];
                                    }
                                    else {
                                        vErrors.push(err31);
                                    }
                                    errors++;
                                }
                            }
                        }
                        else {
                            const err32 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1") + "/missed", schemaPath: "#/$defs/ranges/type", keyword: "type", params: { type: "array" }, message: "must be array", schema: schema237.type, parentSchema: schema237, data: data8 };
                            if (vErrors === null) {
                                vErrors = [err32];
                            }
                            else {
                                vErrors.push(err32);
                            }
                            errors++;
                        }
                    }
                }
                else {
                    const err33 = { instancePath: instancePath + "/files/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"), schemaPath: "#/properties/files/additionalProperties/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema235.properties.files.additionalProperties.type, parentSchema: schema235.properties.files.additionalProperties, data: data3 };
                    if (vErrors === null) {
                        vErrors = [err33];
                    }
                    else {
                        vErrors.push(err33);
                    }
                    errors++;
                }
            }
        }
        else {
            const err34 = { instancePath: instancePath + "/files", schemaPath: "#/properties/files/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema235.properties.files.type, parentSchema: schema235.properties.files, data: data2 };
            if (vErrors === null) {
                vErrors = [err34];
            }
            else {
                vErrors.push(err34);
            }
            errors++;
        }
    }
}
else {
    const err35 = { instancePath, schemaPath: "#/type", keyword: "type", params: { type: "object" }, message: "must be object", schema: schema235.type, parentSchema: schema235, data };
    if (vErrors === null) {
        vErrors = [err35];
    }
    else {
        vErrors.push(err35);
    }
    errors++;
} validate81.errors = vErrors; return errors === 0; }
validate81.evaluated = { "props": { "schema_version": true, "commit": true, "files": true }, "dynamicProps": false, "dynamicItems": false };

;// CONCATENATED MODULE: ./.build/src/contract/validate.js


const VALIDATORS = {
    "hpc-results": validateHpcResults,
    "tests-summary": validateTestsSummary,
    "benchmarks-summary": validateBenchmarksSummary,
    meta: validateMeta,
    "shields-endpoint": validateShieldsEndpoint,
    config: validateConfig,
    "benchmark-history": validateBenchmarkHistory,
    "coverage-lines": validateCoverageLines,
};
const MAX_REPORTED = 20;
/** Checks `value` as a document of `kind`; returns every problem (empty when valid). */
function checkDocument(kind, value, file) {
    const validate = VALIDATORS[kind];
    if (validate(value))
        return semanticProblems(kind, value, file);
    const errors = (validate.errors ?? []).slice(0, MAX_REPORTED);
    return dedupe(errors.map((e) => ({ file, pointer: pointerOf(e), reason: reasonOf(e, kind) })));
}
function isDocument(kind, value) {
    return VALIDATORS[kind](value) && semanticProblems(kind, value, "").length === 0;
}
// Rules a JSON Schema cannot state.
function semanticProblems(kind, value, file) {
    if (kind !== "hpc-results")
        return [];
    const coverage = value.coverage;
    if (coverage && coverage.total_lines !== undefined && coverage.covered_lines !== undefined) {
        if (coverage.covered_lines > coverage.total_lines) {
            return [
                {
                    file,
                    pointer: "/coverage/covered_lines",
                    reason: `covered_lines (${coverage.covered_lines}) is more than total_lines (${coverage.total_lines})`,
                },
            ];
        }
    }
    return [];
}
function pointerOf(e) {
    if (e.keyword === "required") {
        return `${e.instancePath}/${escapePointerToken(String(e.params.missingProperty))}`;
    }
    if (e.keyword === "additionalProperties") {
        return `${e.instancePath}/${escapePointerToken(String(e.params.additionalProperty))}`;
    }
    if (e.keyword === "propertyName" || e.params.propertyName !== undefined) {
        return `${e.instancePath}/${escapePointerToken(String(e.params.propertyName))}`;
    }
    return e.instancePath;
}
function describe(value) {
    if (value === null)
        return "null";
    if (Array.isArray(value))
        return "an array";
    if (typeof value === "string")
        return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    if (typeof value === "object")
        return "an object";
    return String(value);
}
function reasonOf(e, kind) {
    const p = e.params;
    const got = e.data === undefined ? "" : ` (got ${describe(e.data)})`;
    switch (e.keyword) {
        case "required":
            return "is required";
        case "const":
            if (e.instancePath.endsWith("schema_version") || e.instancePath.endsWith("schemaVersion")) {
                return `unknown schema version ${describe(e.data)}: this reader understands ${String(p.allowedValue)}`;
            }
            return `must be ${JSON.stringify(p.allowedValue)}${got}`;
        case "enum":
            return `must be one of ${p.allowedValues.map((v) => String(v)).join(", ")}${got}`;
        case "type":
            return `must be ${String(p.type).replace(",", " or ")}${got}`;
        case "pattern":
            if (e.schemaPath.includes("/commit")) {
                return `not a commit id: 40 or 64 lowercase hexadecimal digits${got}`;
            }
            return `must match ${String(p.pattern)}${got}`;
        case "format":
            return p.format === "date-time"
                ? `must be an RFC 3339 date-time such as 2026-01-17T12:34:56Z${got}`
                : `${e.message}${got}`;
        case "minimum":
        case "maximum":
            return `must be ${String(p.comparison)} ${String(p.limit)}${got}`;
        case "maxLength":
        case "minLength":
            return `${e.message ?? "has the wrong length"}`;
        case "additionalProperties":
            if (kind === "shields-endpoint")
                return "is not a key Shields accepts";
            return kind === "config" ? "is not a known setting" : "is not allowed here";
        default:
            return `${e.message ?? "is invalid"}${got}`;
    }
}
function dedupe(errors) {
    const seen = new Set();
    return errors.filter((e) => {
        const key = `${e.pointer}\u0000${e.reason}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}

;// CONCATENATED MODULE: ./.build/src/fs/glob.js
// A small glob for Node 18, which has no fs.glob: `*` and `?` match within one path segment (not a
// leading dot, as in a shell), `**` matches any number of directories (not dot directories). A
// wildcard never leads into a linked directory, so a walk cannot loop; a linked file matches. The
// walk is bounded: `/**/*.json` stops after MAX_VISITED entries and says so, not reading the disk.


const MAX_VISITED = 100_000;
/** Whether `pattern` has a wildcard (`*` or `?`); other characters are literal. */
function hasWildcard(pattern) {
    return /[*?]/.test(pattern);
}
/** One path segment's pattern as a regular expression; `**` is handled by the walk. */
function segmentMatcher(segment) {
    const body = [...segment]
        .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    const dotSafe = segment.startsWith(".") ? "" : "(?!\\.)";
    return new RegExp(`^${dotSafe}${body}$`, "s");
}
/** The files matching `pattern`, relative to `cwd` unless absolute. */
function glob(pattern, cwd) {
    const absolute = (0,external_node_path_namespaceObject.isAbsolute)(pattern) ? pattern : (0,external_node_path_namespaceObject.resolve)(cwd, pattern);
    const segments = absolute.split(external_node_path_namespaceObject.sep).filter((s, i) => s !== "" || i === 0);
    // The literal start of the pattern is where the walk begins.
    let first = segments.findIndex(hasWildcard);
    if (first === -1)
        first = segments.length;
    const base = segments.slice(0, first).join(external_node_path_namespaceObject.sep) || external_node_path_namespaceObject.sep;
    const rest = segments.slice(first);
    if (rest[rest.length - 1] === "**")
        rest.push("*"); // `a/**` is taken as `a/**/*`
    const found = new Set();
    let visited = 0;
    let truncated = false;
    const list = (dir) => {
        if (truncated)
            return [];
        try {
            const entries = (0,external_node_fs_namespaceObject.readdirSync)(dir, { withFileTypes: true });
            visited += entries.length;
            if (visited > MAX_VISITED)
                truncated = true;
            return entries;
        }
        catch {
            return []; // a missing or unreadable folder matches nothing
        }
    };
    // Iterative depth-first walk over (folder, index of the next pattern segment).
    const stack = [[base, 0]];
    const seen = new Set();
    while (stack.length > 0 && !truncated) {
        const [dir, i] = stack.pop();
        const key = `${i}\0${dir}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        const segment = rest[i];
        if (segment === undefined)
            continue;
        if (segment === "**") {
            stack.push([dir, i + 1]); // zero folders
            for (const entry of list(dir)) {
                if (entry.isDirectory() && !entry.name.startsWith("."))
                    stack.push([(0,external_node_path_namespaceObject.join)(dir, entry.name), i]);
            }
            continue;
        }
        const last = i === rest.length - 1;
        const match = segmentMatcher(segment);
        for (const entry of list(dir)) {
            if (!match.test(entry.name))
                continue;
            const path = (0,external_node_path_namespaceObject.join)(dir, entry.name);
            if (last) {
                if (entry.isFile() || (entry.isSymbolicLink() && isFileFollowed(path)))
                    found.add(path);
            }
            else if (entry.isDirectory())
                stack.push([path, i + 1]);
        }
    }
    return { files: [...found].sort(), truncated };
}
function isFileFollowed(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path).isFile();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./.build/src/fs/kind.js
// What is at a path, without following a symbolic link: files from a results or pages branch are
// untrusted, and a link there could point anywhere on the runner.



async function kindOfPath(path) {
    try {
        const stat = await (0,promises_namespaceObject.lstat)(path);
        if (stat.isSymbolicLink())
            return "symbolic link";
        if (stat.isDirectory())
            return "directory";
        return stat.isFile() ? "file" : "special file";
    }
    catch (error) {
        if (error.code === "ENOENT")
            return "missing";
        throw error;
    }
}
/**
 * The first part of `relative` (a "/"-separated path under `root`) that is a symbolic link, or undefined.
 * Checks every folder on the way, not only the last part: a linked `branches/` leads a read or a write of
 * `branches/main.json` anywhere. Where a link points is never read, so it is never echoed.
 */
async function linkOnPath(root, relative) {
    const parts = relative.split("/").filter((p) => p !== "" && p !== ".");
    for (let i = 1; i <= parts.length; i++) {
        const part = parts.slice(0, i).join("/");
        const kind = await kindOfPath((0,external_node_path_namespaceObject.join)(root, part));
        if (kind === "missing")
            return undefined;
        if (kind === "symbolic link")
            return part;
    }
    return undefined;
}
/** Whether `path` is a folder now, following links (for paths the user named, not branch files). */
function isFolder(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./.build/src/config/settings-error.js
/** A configuration mistake: exit code 2. */
class ConfigError extends Error {
    name = "ConfigError";
}

;// CONCATENATED MODULE: ./.build/src/config/judge-settings.js

const DEFAULT_THRESHOLDS = {
    floor_pct: 5,
    cap_pct: 100,
    min_history: 5,
    history_limit: 100,
    tolerance_pct: 1,
};
/** The history file keeps this many runs per environment; the judge reads at most as many. */
const MAX_HISTORY = 100;
const KEYS = Object.keys(DEFAULT_THRESHOLDS);
const COUNTS = new Set(["min_history", "history_limit"]);
const THRESHOLD_VARIABLES = {
    floor_pct: "HPC_BENCH_FLOOR_PCT",
    cap_pct: "HPC_BENCH_CAP_PCT",
    min_history: "HPC_BENCH_MIN_HISTORY",
    history_limit: "HPC_BENCH_HISTORY_LIMIT",
    tolerance_pct: "HPC_BENCH_TOLERANCE_PCT",
};
const THRESHOLD_FLAGS = {
    floor_pct: "bench-floor-pct",
    cap_pct: "bench-cap-pct",
    min_history: "bench-min-history",
    history_limit: "bench-history-limit",
    tolerance_pct: "bench-tolerance-pct",
};
function resolveJudgeSettings(config, env, flags = {}) {
    const thresholds = { ...DEFAULT_THRESHOLDS };
    const sources = Object.fromEntries(KEYS.map((k) => [k, "default"]));
    const set = (key, raw, source) => {
        thresholds[key] = checked(key, raw, source);
        sources[key] = source;
    };
    if (config.threshold_pct !== undefined)
        set("floor_pct", config.threshold_pct, ".hpc-ci.json benchmarks.threshold_pct (legacy)");
    for (const key of KEYS) {
        if (config.judge?.[key] !== undefined)
            set(key, config.judge[key], `.hpc-ci.json benchmarks.judge.${key}`);
        const fromEnv = env[THRESHOLD_VARIABLES[key]];
        if (fromEnv !== undefined && fromEnv.trim() !== "")
            set(key, fromEnv.trim(), THRESHOLD_VARIABLES[key]);
        const fromFlag = flags[THRESHOLD_FLAGS[key]];
        if (fromFlag !== undefined)
            set(key, fromFlag, `--${THRESHOLD_FLAGS[key]}`);
    }
    if (thresholds.cap_pct < thresholds.floor_pct)
        throw new ConfigError(`the cap (${thresholds.cap_pct}%, ${sources.cap_pct}) is below the floor (${thresholds.floor_pct}%, ${sources.floor_pct})`);
    let confirm = config.confirm ?? false;
    let confirmSource = config.confirm === undefined ? "default" : ".hpc-ci.json benchmarks.confirm";
    const fromEnv = env.HPC_BENCH_CONFIRM?.trim().toLowerCase();
    if (fromEnv) {
        if (!["1", "0", "true", "false"].includes(fromEnv))
            throw new ConfigError(`HPC_BENCH_CONFIRM must be 1 or 0, not ${JSON.stringify(env.HPC_BENCH_CONFIRM)}`);
        confirm = fromEnv === "1" || fromEnv === "true";
        confirmSource = "HPC_BENCH_CONFIRM";
    }
    return { thresholds, sources, confirm, confirmSource };
}
function checked(key, raw, source) {
    const n = typeof raw === "number" ? raw : typeof raw === "string" && raw !== "" ? Number(raw) : NaN;
    const ok = COUNTS.has(key)
        ? Number.isInteger(n) && n >= 1 && (key !== "history_limit" || n <= MAX_HISTORY)
        : Number.isFinite(n) && n >= 0;
    if (!ok) {
        const want = COUNTS.has(key)
            ? `a whole number from 1${key === "history_limit" ? ` to ${MAX_HISTORY}` : ""}`
            : "a number of percent >= 0";
        throw new ConfigError(`${source}: ${key} must be ${want}, not ${JSON.stringify(raw)}`);
    }
    return n;
}

;// CONCATENATED MODULE: ./.build/src/git/remote-url.js
// What a git remote's address says about itself: its kind (http(s), SSH, a local path), its host, and the
// owner/repo of a GitHub-style path. git's own rules: `scheme://` is a URL; `[user@]host:path` with no
// slash before the colon is SSH's scp-like form; anything else is a path.
const URL_FORM = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?(\/.*)?$/i;
const SCP_FORM = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.*)$/;
function remoteKind(url) {
    const scheme = URL_FORM.exec(url)?.[1]?.toLowerCase();
    if (scheme)
        return scheme === "http" || scheme === "https" ? "http" : scheme === "file" ? "local" : "ssh";
    return SCP_FORM.test(url) ? "ssh" : "local";
}
function isHttpRemote(url) {
    return remoteKind(url) === "http";
}
/** The server's host name; undefined for a local path. */
function remoteHost(url) {
    if (remoteKind(url) === "local")
        return undefined;
    return (URL_FORM.exec(url) ?? SCP_FORM.exec(url))?.[URL_FORM.test(url) ? 2 : 1];
}
/** "owner/repo" of a remote whose path is /owner/repo(.git), as on GitHub. */
function repositoryOfRemote(url) {
    if (remoteKind(url) === "local")
        return undefined;
    const path = URL_FORM.exec(url)?.[3] ?? SCP_FORM.exec(url)?.[2] ?? "";
    const m = /^\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(path);
    return m ? `${m[1]}/${m[2]}` : undefined;
}
/**
 * The REST API of the server a remote lives on: api.github.com for github.com, https://HOST/api/v3 for a
 * GitHub Enterprise Server host, so that a token only goes to the server it belongs to. Undefined for a
 * local path.
 */
function apiUrlForRemote(url) {
    const host = remoteHost(url)?.toLowerCase();
    if (!host)
        return undefined;
    return host === "github.com" ? "https://api.github.com" : `https://${host}/api/v3`;
}

;// CONCATENATED MODULE: ./.build/src/git/credentials.js
// A token for an https remote reaches git as an HTTP header through git's environment-only
// configuration (GIT_CONFIG_COUNT, git 2.31+): never in a URL, a config file or a command line.

function tokenEnvironment(url, token, env = process.env) {
    if (!token || !isHttpRemote(url))
        return env;
    const count = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    return {
        ...env,
        GIT_CONFIG_COUNT: String(count + 1),
        [`GIT_CONFIG_KEY_${count}`]: "http.extraHeader",
        [`GIT_CONFIG_VALUE_${count}`]: `Authorization: Basic ${basic}`,
    };
}
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i;
/**
 * A URL without its user-info part, and the secret it held: the password of `user:password@`, or a lone
 * `token@` (GitHub reads `https://TOKEN@github.com/...` as the token). A bare user name (ssh's `git@`) is
 * no secret and stays in the URL.
 */
function splitCredentials(url) {
    const m = USER_INFO.exec(url);
    if (!m || !isHttpRemote(url))
        return { url };
    const info = m[2];
    const colon = info.indexOf(":");
    const secret = decodeURIComponent(colon >= 0 ? info.slice(colon + 1) : info);
    return { url: m[1] + url.slice(m[0].length), ...(secret && { secret }) };
}
/** The literal loopback addresses: http to them never leaves this machine. A name is not trusted. */
function isLoopback(url) {
    const host = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(url)?.[1] ?? "";
    return /^127(\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}
/** Why a credential must not go to `url` (plain http to another machine), or undefined when it may. */
function insecureTransport(url) {
    if (!/^http:\/\//i.test(url) || isLoopback(url))
        return undefined;
    return `refusing to send a credential over plain http to ${url}: use an https:// URL (http is allowed only to 127.0.0.1 and [::1])`;
}

;// CONCATENATED MODULE: ./.build/src/config/operator.js
// Where results go and with what credential: the operator's choice alone. The tested commit (possibly a
// pull request) supplies .hpc-ci.json, so its results.remote/branch/repository could otherwise send the
// token to another host or push somewhere else; they are ignored with a warning. The operator speaks
// through the environment, flags, or a file outside the checkout (HPC_CI_OPERATOR_CONFIG, else
// $XDG_CONFIG_HOME/hpc-ci/config.json, else ~/.config/hpc-ci/config.json).






/** What the operator's file may say: only where results go. Credentials stay in the environment. */
const operator_KEYS = ["repo_url", "remote", "branch", "repository"];
/** The operator's file: HPC_CI_OPERATOR_CONFIG, else the user's config folder's hpc-ci/config.json. */
function operatorConfigPath(env) {
    if (env.HPC_CI_OPERATOR_CONFIG)
        return (0,external_node_path_namespaceObject.resolve)(env.HPC_CI_OPERATOR_CONFIG);
    const base = env.XDG_CONFIG_HOME || (env.HOME ? (0,external_node_path_namespaceObject.join)(env.HOME, ".config") : undefined);
    const path = base && (0,external_node_path_namespaceObject.join)(base, "hpc-ci", "config.json");
    return path && (0,external_node_fs_namespaceObject.existsSync)(path) ? path : undefined;
}
/** In the checkout as named or once symlinks are followed: a committed symlink could point anywhere. */
function inside(root, path) {
    const real = (p) => ((0,external_node_fs_namespaceObject.existsSync)(p) ? (0,external_node_fs_namespaceObject.realpathSync)(p) : p);
    const under = (base, p) => {
        const r = (0,external_node_path_namespaceObject.relative)(base, p);
        return r === "" || (!r.startsWith("..") && !(0,external_node_path_namespaceObject.isAbsolute)(r));
    };
    return [root, real(root)].some((base) => under(base, path) || under(base, real(path)));
}
async function loadOperatorConfig(root, env) {
    const path = operatorConfigPath(env);
    if (!path)
        return {};
    if (inside(root, path))
        throw new ConfigError(`${path}: the operator's config must lie outside the tested checkout ${root}, which the commit under test controls`);
    if (!(0,external_node_fs_namespaceObject.existsSync)(path))
        throw new ConfigError(`${path}: no such file (HPC_CI_OPERATOR_CONFIG)`);
    let value;
    try {
        value = await readDocument(path, path);
    }
    catch (error) {
        if (error instanceof InvalidDocumentError)
            throw new ConfigError(error.message);
        throw error;
    }
    const problem = (pointer, reason) => new ConfigError(`${path} at ${pointer}: ${reason}`);
    if (!isObject(value))
        throw problem("", "must be an object");
    for (const key of Object.keys(value))
        if (key !== "results")
            throw problem(`/${key}`, "is not a known setting (only results)");
    const results = value.results ?? {};
    if (!isObject(results))
        throw problem("/results", "must be an object");
    for (const [key, v] of Object.entries(results)) {
        if (!operator_KEYS.includes(key))
            throw problem(`/results/${key}`, `is not a known setting (${operator_KEYS.join(", ")})`);
        if (typeof v !== "string" || v.trim() === "")
            throw problem(`/results/${key}`, "must be a non-empty string");
    }
    return results;
}
function isObject(v) {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
async function resolveDestination(root, checkout, env) {
    const operator = await loadOperatorConfig(root, env);
    const warnings = [];
    const rawUrl = env.HPC_RESULTS_REPO_URL || operator.repo_url;
    const { url: repoUrl, secret } = rawUrl ? splitCredentials(rawUrl) : { url: undefined };
    const token = env.HPC_RESULTS_TOKEN || secret || undefined;
    if (secret)
        warnings.push(env.HPC_RESULTS_TOKEN
            ? "the results URL carries a credential besides HPC_RESULTS_TOKEN: HPC_RESULTS_TOKEN is used and the URL's is dropped; remove it from the URL"
            : "the results URL carries a credential: it is used as HPC_RESULTS_TOKEN would be (a header, never on a command line); set HPC_RESULTS_TOKEN and a URL without credentials instead");
    if (token && repoUrl) {
        const why = insecureTransport(repoUrl);
        if (why)
            throw new ConfigError(why);
    }
    const destination = {
        branch: env.HPC_RESULTS_BRANCH || operator.branch || "hpc-results",
        remote: env.HPC_RESULTS_REMOTE || operator.remote || "origin",
        repoUrl,
        repository: env.HPC_RESULTS_REPOSITORY_SLUG || operator.repository || undefined,
        token,
        warnings,
    };
    const effective = {
        remote: repoUrl ?? destination.remote,
        branch: destination.branch,
        repository: destination.repository,
    };
    for (const key of ["remote", "branch", "repository"]) {
        const asked = checkout.results?.[key];
        if (asked !== undefined && asked !== effective[key])
            warnings.push(`.hpc-ci.json results.${key} is ignored: the commit under test does not choose where results go; the operator sets it (HPC_RESULTS_${key === "repository" ? "REPOSITORY_SLUG" : key === "remote" ? "REMOTE or HPC_RESULTS_REPO_URL" : "BRANCH"}, or results.${key} in ${operatorConfigPath(env) ?? "~/.config/hpc-ci/config.json"})`);
    }
    return destination;
}

;// CONCATENATED MODULE: ./.build/src/config/token-file.js
// Tokens kept out of every environment: HPC_RESULTS_TOKEN_FILE and CODECOV_TOKEN_FILE name a file that
// only its owner may read. A variable's value sits in /proc/<pid>/environ of the process it was given to
// for that process's whole life, readable by the code under test when that process is its ancestor; a
// file is opened only while the token is needed (a check against the remote, the upload, the publish), never
// while a test runs, and its text lands in no environment.


/** Each token variable and the variable naming a file that holds it instead. */
const TOKEN_FILES = {
    HPC_RESULTS_TOKEN: "HPC_RESULTS_TOKEN_FILE",
    CODECOV_TOKEN: "CODECOV_TOKEN_FILE",
};
/** The token's source from the environment; a ConfigError when both ways are used at once. */
function tokenSource(env, variable) {
    const value = env[variable] || undefined;
    const file = env[TOKEN_FILES[variable]] || undefined;
    if (value && file)
        throw new ConfigError(`${variable} and ${TOKEN_FILES[variable]} are both set: keep only ${TOKEN_FILES[variable]} (a variable is visible to the code under test)`);
    return { ...(value && { value }), ...(file && { file }) };
}
/**
 * Refuses a token file others could read or replace: not a regular file, owned by another user, or
 * with any permission for group or others (chmod 600). Reads nothing.
 */
async function checkTokenFile(path, variable) {
    const info = await (0,promises_namespaceObject.stat)(path).catch((error) => {
        throw new ConfigError(`${variable}: cannot read ${path}: ${error.code ?? error.message}`);
    });
    if (!info.isFile())
        throw new ConfigError(`${variable}: ${path} is not a regular file`);
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid)
        throw new ConfigError(`${variable}: ${path} belongs to another user (uid ${info.uid})`);
    if ((info.mode & 0o077) !== 0)
        throw new ConfigError(`${variable}: ${path} may be read or written by others (mode ${(info.mode & 0o777).toString(8)}): chmod 600 ${path}`);
}
/** The token: the variable's value, or the text of the checked file (one line, trimmed). */
async function readToken(source, variable) {
    if (source.value)
        return source.value;
    if (!source.file)
        return undefined;
    const what = TOKEN_FILES[variable];
    await checkTokenFile(source.file, what);
    const text = (await (0,promises_namespaceObject.readFile)(source.file, "utf8")).trim();
    if (text === "" || /\s/.test(text))
        throw new ConfigError(`${what}: ${source.file} must hold the token alone, on one line`);
    return text;
}
/** HPC_RESULTS_TOKEN of the settings, read from its file when it is in one. */
function resultsToken(settings) {
    return readToken({ value: settings.results.token, file: settings.results.tokenFile }, "HPC_RESULTS_TOKEN");
}
/** CODECOV_TOKEN of the settings, read from its file when it is in one. */
function codecovToken(settings) {
    return readToken({ value: settings.codecovToken, file: settings.codecovTokenFile }, "CODECOV_TOKEN");
}

;// CONCATENATED MODULE: ./.build/src/config/settings.js
// Effective settings of the HPC CLI: defaults that fit a Julia package, then .hpc-ci.json, then
// Mycelia's environment variables (which keep their meaning), then command-line flags. Where results go
// comes from the operator only (operator.ts).











const CONFIG_FILE = ".hpc-ci.json";
const DEFAULT_TEST_COMMAND = [
    "julia",
    "--project=.",
    "-e",
    "import Pkg; Pkg.test(coverage=true)",
];
const DEFAULT_FLAG = "hpc-extended";

async function loadConfig(root) {
    const path = (0,external_node_path_namespaceObject.join)(root, CONFIG_FILE);
    if (!(0,external_node_fs_namespaceObject.existsSync)(path))
        return {};
    try {
        const value = await readDocument(path, CONFIG_FILE);
        const errors = checkDocument("config", value, CONFIG_FILE);
        if (errors.length > 0)
            throw new InvalidDocumentError(errors);
        return value;
    }
    catch (error) {
        if (error instanceof InvalidDocumentError)
            throw new ConfigError(error.message);
        throw error;
    }
}
function positiveInteger(value, name) {
    if (value === undefined || value.trim() === "")
        return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
        throw new ConfigError(`${name} must be a whole number of at least 1, not ${JSON.stringify(value)}`);
    return n;
}
function flagOf(value) {
    if (value === undefined || value.trim() === "")
        return undefined;
    const v = value.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(v))
        return true;
    if (["0", "false", "no", "off"].includes(v))
        return false;
    throw new ConfigError(`expected 1 or 0 (true or false), got ${JSON.stringify(value)}`);
}
// The default benchmark runner for a package that follows the PkgBenchmark convention
// (benchmark/benchmarks.jl defines SUITE): results saved in BenchmarkTools' own JSON format, every
// Trial with its samples (as PkgBenchmark keeps them), so the spread and sample count are known.
const JULIA_BENCHMARK_SCRIPT = [
    "using BenchmarkTools",
    'include(joinpath("benchmark", "benchmarks.jl"))',
    "tune!(SUITE)",
    "results = run(SUITE, verbose = true)",
    'BenchmarkTools.save(ENV["HPC_CI_BENCHMARK_RESULTS"], results)',
].join("; ");
const MYCELIA_BENCHMARKS = 'include("run_extended_tests.jl"); exit(run_benchmarks_locally() ? 0 : 1)';
function defaultBenchmarks(root) {
    if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(root, "run_extended_tests.jl"))) {
        // Mycelia's extended tutorials and benchmarks, as ci/hpc/run_hpc_ci.sh ran them. Its scripts save
        // to "results/" in the working folder: benchmarking/results/ when run from benchmarking/ (as
        // benchmark_runner.jl does), results/ when run_extended_tests.jl includes them from the root.
        return {
            origin: "mycelia",
            results: ["benchmarking/results/", "results/"],
            commands: [
                ["julia", "--project=.", "run_extended_tests.jl", "tutorials"],
                // `run_extended_tests.jl benchmarks` asks "Continue with local execution? (y/N)" on stdin, and a batch
                // job's stdin answers nothing: the run is cancelled. Its own non-interactive body runs instead
                // (including the file defines it; main() runs only for `julia run_extended_tests.jl`).
                ["julia", "--project=.", "-e", MYCELIA_BENCHMARKS],
            ],
        };
    }
    if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(root, "benchmark", "benchmarks.jl"))) {
        const project = (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(root, "benchmark", "Project.toml")) ? "benchmark" : ".";
        return {
            origin: "benchmark/benchmarks.jl",
            commands: [["julia", `--project=${project}`, "-e", JULIA_BENCHMARK_SCRIPT]],
        };
    }
    return { origin: "none", commands: [] };
}
/** Julia reads a project from either name. */
function isJuliaPackage(root) {
    return ["Project.toml", "JuliaProject.toml"].some((name) => (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(root, name)));
}
/** `flags`: the `run` command's options (only the judge's --bench-* are read here). */
async function resolveSettings(root, env = process.env, flags = {}) {
    const config = await loadConfig(root);
    const destination = await resolveDestination(root, config, env);
    const at = (p) => ((0,external_node_path_namespaceObject.isAbsolute)(p) ? p : (0,external_node_path_namespaceObject.resolve)(root, p));
    const defaults = defaultBenchmarks(root);
    const benchmarks = config.benchmarks ?? {};
    const hasConfiguredCommands = benchmarks.commands !== undefined;
    let publish;
    let checkout;
    try {
        publish = flagOf(env.HPC_RESULTS_PUBLISH);
    }
    catch (e) {
        throw new ConfigError(`HPC_RESULTS_PUBLISH: ${e.message}`);
    }
    try {
        checkout = flagOf(env.HPC_CI_CHECKOUT);
    }
    catch (e) {
        throw new ConfigError(`HPC_CI_CHECKOUT: ${e.message}`);
    }
    const resultsToken = tokenSource(env, "HPC_RESULTS_TOKEN");
    const codecovToken = tokenSource(env, "CODECOV_TOKEN");
    const minutes = (m) => (m === undefined ? undefined : Math.round(m * 60));
    const configured = hasConfiguredCommands ? benchmarks.results : (benchmarks.results ?? defaults.results);
    const sources = (configured === undefined ? [] : [configured].flat()).map((s) => {
        const { path, tool } = typeof s === "string" ? { path: s, tool: undefined } : s;
        // resolve() drops a trailing "/", which says "a folder" even before the folder exists.
        const absolute = at(path) + (path.endsWith("/") && !at(path).endsWith("/") ? "/" : "");
        return tool ? { path: absolute, tool } : { path: absolute };
    });
    const only = sources.length === 1 ? sources[0] : undefined;
    const resultsFile = only && !only.tool && !hasWildcard(only.path) && !only.path.endsWith("/") && !isFolder(only.path)
        ? only.path
        : undefined;
    return {
        root,
        resultsDir: at(env.HPC_RESULTS_DIR || config.results?.dir || "hpc-ci"),
        checkout: checkout ?? false,
        commit: env.HPC_CI_COMMIT || undefined,
        branch: env.HPC_CI_BRANCH || undefined,
        cluster: env.HPC_CLUSTER_NAME || config.cluster || undefined,
        env: config.env ?? {},
        tests: {
            command: config.tests?.command ?? DEFAULT_TEST_COMMAND,
            origin: config.tests?.command ? "config" : isJuliaPackage(root) ? "julia" : "none",
            junit: config.tests?.junit ? at(config.tests.junit) : undefined,
            env: config.tests?.env ?? {},
            timeoutSeconds: minutes(config.tests?.timeout_minutes),
        },
        coverage: {
            enabled: config.coverage?.enabled ?? true,
            dirs: config.coverage?.dirs ?? ["src", "ext"],
            lcov: config.coverage?.lcov ? at(config.coverage.lcov) : undefined,
            flag: env.HPC_CODECOV_FLAG || config.coverage?.flag || DEFAULT_FLAG,
            codecov: config.coverage?.codecov ?? true,
        },
        benchmarks: {
            commands: benchmarks.enabled === false ? [] : (benchmarks.commands ?? defaults.commands),
            origin: benchmarks.enabled === false ? "none" : hasConfiguredCommands ? "config" : defaults.origin,
            results: sources,
            resultsFile,
            env: benchmarks.env ?? {},
            thresholdPct: benchmarks.threshold_pct ?? 10,
            judge: resolveJudgeSettings(benchmarks, env, flags),
            // The operator may pin it: the tested commit could otherwise pick a branch of its own runs.
            baselineBranch: env.HPC_BENCH_BASELINE_BRANCH || benchmarks.baseline_branch,
            reserveSeconds: minutes(benchmarks.reserve_minutes ?? 15),
            timeoutSeconds: minutes(benchmarks.timeout_minutes),
        },
        results: {
            // Where to and with what credential: the operator's alone (operator.ts).
            branch: destination.branch,
            remote: destination.remote,
            repoUrl: destination.repoUrl,
            repository: destination.repository,
            publish: publish ?? config.results?.publish ?? true,
            token: destination.token,
            tokenFile: resultsToken.file,
            apiUrl: env.GITHUB_API_URL || undefined,
            attempts: positiveInteger(env.HPC_RESULTS_PUSH_ATTEMPTS, "HPC_RESULTS_PUSH_ATTEMPTS") ?? 30,
        },
        slurm: config.slurm ?? {},
        codecovToken: codecovToken.value,
        codecovTokenFile: codecovToken.file,
        warnings: destination.warnings,
    };
}
/** Variables that hold credentials or say where they are: never handed to test or benchmark commands. */
const SECRET_VARIABLES = [
    "CODECOV_TOKEN",
    "CODECOV_TOKEN_FILE",
    "HPC_RESULTS_TOKEN_FILE",
    "HPC_RESULTS_REPO_URL",
    "HPC_RESULTS_TOKEN",
    "GITHUB_TOKEN",
    "GH_TOKEN",
];

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./.build/src/git/redact.js
// Credentials must never reach a log: hide the user-info part of any URL in a text.
function redactUrls(text) {
    return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1***@");
}

;// CONCATENATED MODULE: ./.build/src/git/run.js
// Runs git as a child process with no stdin and a clear error when it fails.


/** How much of git's error output a message keeps: the cause is often lines before the last. */
const MAX_LINES = 40;
const MAX_CHARS = 4096;
/** The end of git's output, bounded, each line indented under the message's first line. */
function boundedOutput(text) {
    const lines = text.replace(/\r/g, "").trimEnd().split("\n");
    let kept = lines.slice(-MAX_LINES);
    while (kept.length > 1 && kept.join("\n").length > MAX_CHARS)
        kept = kept.slice(1);
    const body = kept.join("\n");
    const clipped = body.length > MAX_CHARS ? body.slice(-MAX_CHARS) : body;
    const omitted = lines.length - kept.length;
    return [
        ...(omitted > 0 ? [`(${omitted} earlier line(s) left out)`] : []),
        ...clipped.split("\n").filter((l) => l.trim() !== ""),
    ]
        .map((l) => `  ${l}`)
        .join("\n");
}
class GitError extends Error {
    args;
    exitCode;
    /** What git printed, with credentials in URLs hidden. */
    stderr;
    constructor(args, exitCode, stderr) {
        const said = boundedOutput(stderr);
        super(redactUrls(`git ${args[0] ?? ""} failed${exitCode === null ? "" : ` (exit ${exitCode})`}${said ? `:\n${said}` : ""}`));
        this.args = args;
        this.exitCode = exitCode;
        this.name = "GitError";
        this.stderr = redactUrls(stderr);
    }
}
function git(cwd, args, env = process.env, options = {}) {
    return new Promise((resolve, reject) => {
        (0,external_node_child_process_namespaceObject.execFile)("git", args, {
            cwd,
            env: { ...env, GIT_TERMINAL_PROMPT: "0" },
            maxBuffer: 256 * 1024 * 1024,
            encoding: "utf8",
            ...(options.timeoutMs && { timeout: options.timeoutMs, killSignal: "SIGKILL" }),
        }, (error, stdout, stderr) => {
            if (error) {
                const code = typeof error.code === "number" ? error.code : null;
                const timedOut = error.killed && options.timeoutMs;
                const said = timedOut
                    ? `${stderr}\nno answer within ${Math.round(options.timeoutMs / 100) / 10}s; stopped`
                    : stderr || error.message;
                reject(new GitError(args, code, said));
            }
            else
                resolve(stdout);
        }).stdin?.end();
    });
}

;// CONCATENATED MODULE: ./.build/src/results-branch/layout.js
// Names of the files on the `hpc-results` branch (see DESIGN.md, "The results branch").
const RESULTS_BRANCH = "hpc-results";
/** Files inside a `<sha>/` folder. */
const COMMIT_FILES = {
    results: "hpc-results.json",
    tests: "tests.json",
    benchmarks: "benchmarks.json",
    meta: "meta.json",
};
/** Files at the root of the branch, describing the newest published run. */
const LATEST_FILES = {
    results: "latest-hpc-results.json",
    meta: "latest-meta.json",
    tests: "latest-tests.json",
    benchmarks: "latest-benchmarks.json",
};
/** Folder of per-source-branch pointers: `branches/<encoded branch>.json` is that branch's newest run. */
const BRANCH_POINTERS = "branches";
/** The pointer file of a source branch (encoded so that `feature/x` stays one file name). */
function branchPointer(branch) {
    return `${BRANCH_POINTERS}/${encodeURIComponent(branch)}.json`;
}
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function isCommitId(value) {
    return COMMIT_ID.test(value);
}
/** The path of a file in a commit's folder, relative to the branch root. */
function commitFile(commit, name) {
    if (!isCommitId(commit))
        throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
    return `${commit}/${name}`;
}
const DOCUMENT_NAMES = new Set(Object.values(COMMIT_FILES));
/**
 * What a changed path on the branch says about commit folders: the commit it belongs to, a folder
 * that holds our documents but is not named by a commit id, or nothing of interest.
 */
function classifyChangedPath(path) {
    const slash = path.indexOf("/");
    if (slash <= 0)
        return undefined;
    const folder = path.slice(0, slash);
    const rest = path.slice(slash + 1);
    if (isCommitId(folder))
        return DOCUMENT_NAMES.has(rest) ? { commit: folder } : undefined;
    return DOCUMENT_NAMES.has(rest) ? { badFolder: folder } : undefined;
}

;// CONCATENATED MODULE: ./.build/src/run/context.js
// Which commit and branch a run is about, and the optional checkout of that commit.




/** The checkout itself failed (fetch, checkout): exit code 3. */
class CheckoutError extends Error {
    name = "CheckoutError";
}
async function repositoryRoot(cwd) {
    try {
        return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
    }
    catch {
        return undefined;
    }
}
async function headCommit(root) {
    return (await git(root, ["rev-parse", "HEAD"])).trim();
}
/**
 * The branch being tested. A detached checkout (as after HPC_CI_CHECKOUT) has none: then what the CI
 * system says, else a branch whose tip is this commit, else "detached" (never the word HEAD).
 */
async function currentBranch(root, env, remote = "origin") {
    const name = (await git(root, ["rev-parse", "--abbrev-ref", "HEAD"]).catch(() => "HEAD")).trim();
    if (name !== "HEAD")
        return name;
    const fromCi = env.CI_COMMIT_REF_NAME || env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
    if (fromCi)
        return fromCi;
    const tips = await git(root, [
        "for-each-ref",
        "--points-at",
        "HEAD",
        "--format=%(refname)",
        "refs/heads",
        `refs/remotes/${remote}`,
    ]).catch(() => "");
    const names = tips
        .split("\n")
        .map((r) => r
        .trim()
        .replace(/^refs\/heads\//, "")
        .replace(new RegExp(`^refs/remotes/${remote}/`), ""))
        .filter((r) => r && r !== "HEAD" && !r.startsWith("refs/"));
    return names[0] ?? "detached";
}
/**
 * HPC_CI_CHECKOUT=1: check out `commit` in `root`. Refuses a dirty tree (other than the results
 * directory), fetches the commit when it is not there yet, then checks it out detached.
 */
async function checkoutCommit(root, commit, resultsDir, remote, env = process.env) {
    if (!isCommitId(commit))
        throw new ConfigError(`HPC_CI_COMMIT is not a full commit id: ${JSON.stringify(commit)}`);
    const inside = (0,external_node_path_namespaceObject.relative)(root, resultsDir);
    const exclude = inside && !inside.startsWith("..") ? [`:(exclude)${inside}`] : [];
    const dirty = (await git(root, ["status", "--porcelain", "--untracked-files=no", "--", ".", ...exclude])).trim();
    if (dirty) {
        throw new ConfigError(`refusing to check out ${commit}: the working tree has changes:\n${dirty.split("\n").slice(0, 10).join("\n")}`);
    }
    const known = await git(root, ["cat-file", "-e", `${commit}^{commit}`]).then(() => true, () => false);
    try {
        if (!known)
            await git(root, ["fetch", "--quiet", remote, commit], env);
        await git(root, ["checkout", "--quiet", "--detach", commit]);
    }
    catch (error) {
        throw new CheckoutError(`could not check out ${commit}: ${error instanceof GitError ? error.message : String(error)}`);
    }
}

;// CONCATENATED MODULE: ./.build/src/run/log.js
const consoleLogger = {
    info: (m) => process.stdout.write(`[hpc-ci] ${m}\n`),
    warn: (m) => process.stderr.write(`[hpc-ci] warning: ${m}\n`),
    error: (m) => process.stderr.write(`[hpc-ci] error: ${m}\n`),
};

;// CONCATENATED MODULE: ./.build/src/contract/read-valid.js
// Reading a document that may be absent or unusable (an earlier run's results, a summary beside the
// results, a file on the results branch): callers keep it only when it is a valid document of its kind,
// and may say why not. Files from the results branch go through readBranchDocument
// (results-branch/read.ts), which adds the rules for untrusted files on top of this.



/**
 * The document of `kind` (or of the kind its value shows) at `path`, named `file` in reasons; undefined
 * when there is no such file. Errors of the file system other than a missing file are thrown.
 */
async function readValidDocument(path, kind, file = path) {
    let value;
    try {
        value = await readDocument(path, file);
    }
    catch (error) {
        if (error instanceof InvalidDocumentError)
            return { errors: error.errors };
        const code = error.code;
        if (code === "ENOENT" || code === "ENOTDIR")
            return undefined; // as existsSync would say
        throw error;
    }
    const errors = checkDocument(typeof kind === "function" ? kind(value) : kind, value, file);
    return errors.length > 0 ? { errors } : { value: value, errors: [] };
}

;// CONCATENATED MODULE: ./.build/src/process/shell.js
/**
 * One bash word for any string: bare when it only has characters the shell never interprets,
 * otherwise in single quotes, where nothing is special but the quote itself (closed, escaped, reopened).
 * Bash cannot hold a NUL byte in a word, so one is refused rather than silently cut.
 */
function shellQuote(value) {
    if (value.includes("\0"))
        throw new Error("a shell word cannot contain a NUL character");
    if (/^[\w@%+=:,./-]+$/.test(value))
        return value;
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

;// CONCATENATED MODULE: ./.build/src/process/run-command.js
// Runs a phase's command: no stdin (a prompt fails at once instead of hanging a batch job), the
// environment it is given, output streamed to the console and to a log file, and timed.





function describeCommand(command) {
    return typeof command === "string" ? command : command.map(shellQuote).join(" ");
}
async function runCommand(command, options) {
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(options.logFile), { recursive: true });
    // A log from an earlier run must not be read as this run's (its Test Summary would be counted again).
    const log = (0,external_node_fs_namespaceObject.createWriteStream)(options.logFile, { flags: options.append ? "a" : "w" });
    const echo = options.echo === undefined ? process.stdout : options.echo;
    const [file, args] = typeof command === "string" ? ["/bin/sh", ["-c", command]] : [command[0], command.slice(1)];
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    log.write(`$ ${describeCommand(command)}\n`);
    const result = await new Promise((resolve) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let timer;
        if (options.timeoutSeconds) {
            timer = setTimeout(() => {
                log.write(`\n[hpc-ci] timed out after ${options.timeoutSeconds}s; stopping the command\n`);
                child.kill("SIGTERM");
                setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }, options.timeoutSeconds * 1000);
        }
        const forward = (chunk) => {
            log.write(chunk);
            echo?.write(chunk);
        };
        child.stdout.on("data", forward);
        child.stderr.on("data", forward);
        child.on("error", (error) => {
            if (timer)
                clearTimeout(timer);
            resolve({ exitCode: 127, seconds: seconds(), startError: error.message });
        });
        child.on("close", (code, signal) => {
            if (timer)
                clearTimeout(timer);
            resolve({ exitCode: code ?? 128, seconds: seconds(), ...(signal && { signal }) });
        });
    });
    if (result.startError)
        log.write(`[hpc-ci] could not start: ${result.startError}\n`);
    await new Promise((done) => log.end(done));
    return result;
}
/** Whether a command's program can be found (on PATH, or as a path); a shell string is not checked. */
function canRun(command, env) {
    if (typeof command === "string")
        return true;
    const program = command[0];
    if (!program)
        return false;
    const executable = (path) => {
        try {
            (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.X_OK);
            return (0,external_node_fs_namespaceObject.statSync)(path).isFile();
        }
        catch {
            return false;
        }
    };
    if (program.includes("/"))
        return executable(program);
    return (env.PATH ?? "").split(external_node_path_namespaceObject.delimiter).some((dir) => dir && executable((0,external_node_path_namespaceObject.join)(dir, program)));
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./.build/src/fs/atomic.js
// Writes that never leave half a file: write a temporary file beside the target, then rename.



async function writeFileAtomic(path, data) {
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(path), { recursive: true });
    const temp = (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(path), `.${(0,external_node_path_namespaceObject.basename)(path)}.${process.pid}.${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString("hex")}.tmp`);
    try {
        await (0,promises_namespaceObject.writeFile)(temp, data);
        await (0,promises_namespaceObject.rename)(temp, path);
    }
    catch (error) {
        await (0,promises_namespaceObject.rm)(temp, { force: true });
        throw error;
    }
}
function writeJsonAtomic(path, value) {
    return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

;// CONCATENATED MODULE: ./.build/src/run/artifacts.js
// Where a run writes its files, under the results directory (HPC_RESULTS_DIR, default hpc-ci/).

function artifactPaths(resultsDir) {
    const artifacts = (0,external_node_path_namespaceObject.join)(resultsDir, "artifacts");
    return {
        dir: resultsDir,
        results: (0,external_node_path_namespaceObject.join)(resultsDir, "hpc-results.json"),
        lcov: (0,external_node_path_namespaceObject.join)(artifacts, "coverage", "lcov.info"),
        coverageSummary: (0,external_node_path_namespaceObject.join)(artifacts, "coverage", "summary.json"),
        testsSummary: (0,external_node_path_namespaceObject.join)(artifacts, "tests", "summary.json"),
        benchmarksSummary: (0,external_node_path_namespaceObject.join)(artifacts, "benchmarks", "summary.json"),
        meta: (0,external_node_path_namespaceObject.join)(artifacts, "meta.json"),
        logs: (0,external_node_path_namespaceObject.join)(resultsDir, "logs"),
        log: (name) => (0,external_node_path_namespaceObject.join)(resultsDir, "logs", `${name}.log`),
    };
}
/** Paths as written into hpc-results.json: relative to the results directory, as Mycelia's are. */
const RELATIVE = {
    lcov: "artifacts/coverage/lcov.info",
    coverageSummary: "artifacts/coverage/summary.json",
    testsLog: "logs/tests.log",
    tutorialsLog: "logs/tutorials.log",
    benchmarksLog: "logs/benchmarks.log",
};

;// CONCATENATED MODULE: ./.build/src/git/publish.js
// Commit a change to a branch and push it, safely when many jobs push at once: on a rejected
// push, fetch the newest tip, apply the change again on top of it, and retry with backoff.





class PublishError extends Error {
    name = "PublishError";
    constructor(message) {
        super(redactUrls(message));
    }
}
/** git's words for "someone else pushed first", from the client and from the server. */
const CONFLICT = /fetch first|non-fast-forward|failed to update ref|cannot lock ref|incorrect old value|stale info|reference already exists/i;
function isPushConflict(stderr) {
    return CONFLICT.test(stderr);
}
const DEFAULT_AUTHOR = { name: "hpc-ci", email: "hpc-ci@users.noreply.github.com" };
async function publishWithRetry(options) {
    const { branch, dir } = options;
    const env = options.env ?? process.env;
    const log = options.log ?? (() => { });
    const maxAttempts = options.maxAttempts ?? 30;
    const backoff = options.backoffMs ?? { base: 200, max: 4000 };
    const author = options.author ?? DEFAULT_AUTHOR;
    const tracking = `refs/hpc-ci/remote/${branch}`;
    await ensureRepository(dir, env, options.sparse);
    let conflicts = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const exists = await fetchTip(dir, options.remote, branch, tracking, env);
        if (exists) {
            await git(dir, ["checkout", "-q", "-f", "-B", branch, tracking], env);
        }
        else {
            await git(dir, ["checkout", "-q", "-f", "--orphan", branch], env);
            await git(dir, ["rm", "-rfq", "--cached", "--ignore-unmatch", "."], env);
        }
        await git(dir, ["clean", "-qfdx"], env);
        await options.apply(dir);
        await git(dir, ["add", "-A"], env);
        const staged = await git(dir, ["diff", "--cached", "--name-only"], env);
        if (staged.trim() === "") {
            log(`nothing changed on ${branch}; no commit made`);
            return { changed: false, pushed: false, attempts: attempt, conflicts };
        }
        await git(dir, [
            "-c",
            `user.name=${author.name}`,
            "-c",
            `user.email=${author.email}`,
            "commit",
            "-q",
            "--no-verify",
            "-m",
            options.message,
        ], env);
        const commit = (await git(dir, ["rev-parse", "HEAD"], env)).trim();
        if (options.push === false)
            return { changed: true, pushed: false, commit, attempts: attempt, conflicts };
        try {
            await git(dir, ["push", "-q", options.remote, `HEAD:refs/heads/${branch}`], env);
            log(`pushed ${commit.slice(0, 12)} to ${branch}${conflicts ? ` after ${conflicts} conflict(s)` : ""}`);
            return { changed: true, pushed: true, commit, attempts: attempt, conflicts };
        }
        catch (error) {
            if (!(error instanceof GitError) || !isPushConflict(error.stderr)) {
                throw new PublishError(`push to ${branch} failed: ${error instanceof Error ? error.message : String(error)}`);
            }
            conflicts++;
            const wait = Math.random() * Math.min(backoff.max, backoff.base * 2 ** Math.min(attempt, 10));
            log(`push to ${branch} rejected (someone pushed first); rebuilding on the new tip in ${Math.round(wait)} ms`);
            await new Promise((r) => setTimeout(r, wait));
        }
    }
    throw new PublishError(`push to ${branch} was rejected ${maxAttempts} times in a row; giving up`);
}
async function ensureRepository(dir, env, sparse) {
    if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(dir, ".git")))
        return;
    await (0,promises_namespaceObject.mkdir)(dir, { recursive: true });
    if ((await (0,promises_namespaceObject.readdir)(dir)).length > 0)
        throw new PublishError(`${dir} is not a git checkout and not empty`);
    await git(dir, ["init", "-q"], env);
    if (sparse && sparse.every((folder) => PLAIN_FOLDER.test(folder))) {
        // Written by hand rather than with `git sparse-checkout` (git 2.25+): clusters keep older gits, and
        // every git since 1.7 reads this file; git 2.25+ also recognizes it as a cone and matches it fast.
        await git(dir, ["config", "core.sparseCheckout", "true"], env);
        await git(dir, ["config", "core.sparseCheckoutCone", "true"], env);
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.join)(dir, ".git", "info"), { recursive: true });
        await (0,promises_namespaceObject.writeFile)((0,external_node_path_namespaceObject.join)(dir, ".git", "info", "sparse-checkout"), conePatterns(sparse));
    }
}
/** A top-level folder name that needs no escaping in a sparse-checkout pattern. */
const PLAIN_FOLDER = /^[\w.-]+$/;
/** git's cone pattern set (git-sparse-checkout(1), "Internals"): every root file, and these folders. */
function conePatterns(folders) {
    return ["/*", "!/*/", ...[...new Set(folders)].sort().map((f) => `/${f}/`)].join("\n") + "\n";
}
/** Fetches the branch tip into a private ref; false when the branch does not exist yet. */
async function fetchTip(dir, remote, branch, tracking, env) {
    // One round trip per attempt: a branch that does not exist yet is told apart by git's own answer.
    try {
        await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", remote, `+refs/heads/${branch}:${tracking}`], env);
        return true;
    }
    catch (error) {
        if (error instanceof GitError && /couldn't find remote ref/i.test(error.stderr)) {
            await git(dir, ["update-ref", "-d", tracking], env).catch(() => undefined);
            return false;
        }
        throw new PublishError(`cannot reach ${remote}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

;// CONCATENATED MODULE: ./.build/src/git/remote-head.js
// The branch a remote's HEAD names (its default branch), asked of the server itself.

/** The remote's default branch, or undefined when it cannot be told (unreachable, empty, no symref). */
async function remoteDefaultBranch(url, env, timeoutMs = 30_000) {
    try {
        const listed = await git(process.cwd(), ["ls-remote", "--symref", url, "HEAD"], env, { timeoutMs });
        return /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(listed)?.[1];
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./.build/src/run/results-remote.js
// The results remote as git is handed it: a URL without credentials (any found in it become the token,
// sent as a header), never plain http with a credential, and never the repository's default branch.









/**
 * `remote` (a URL or path, or the name of a remote of the repository at `root`) as a clean URL and the
 * credential to send with it: `token`, else one the URL carried. git runs in a temporary folder, so a
 * relative path becomes absolute: a remote's relative to the repository, as git reads it there, and one
 * given directly relative to where the command was started.
 */
async function resultsRemote(root, remote, token) {
    const raw = await remoteUrl(root, remote);
    const { url, secret } = splitCredentials(raw);
    const credential = token || secret;
    const why = credential ? insecureTransport(url) : undefined;
    if (why)
        throw new ConfigError(why);
    return { url, ...(credential && { token: credential }) };
}
/** The settings' results remote (HPC_RESULTS_REPO_URL, else the named remote), with the token (from its file). */
async function settingsRemote(settings) {
    const { root, results } = settings;
    return resultsRemote(root, results.repoUrl ?? results.remote, await resultsToken(settings));
}
async function remoteUrl(root, remote) {
    if (/[/:]/.test(remote))
        return absolutePath(process.cwd(), remote);
    try {
        return absolutePath(root, (await git(root, ["config", "--get", `remote.${remote}.url`])).trim());
    }
    catch {
        throw new PublishError(`the repository has no remote named ${JSON.stringify(remote)} (set HPC_RESULTS_REPO_URL or --remote)`);
    }
}
/** A relative local path made absolute; URLs, scp-like `host:path` and absolute paths as they are. */
function absolutePath(base, url) {
    const local = remoteKind(url) === "local" && !url.includes("://");
    return local && !(0,external_node_path_namespaceObject.isAbsolute)(url) ? (0,external_node_path_namespaceObject.resolve)(base, url) : url;
}
/**
 * Pushes go to the results branch only, never to the repository's default branch (nor to main or master
 * when the server does not say which is the default): a wrong HPC_RESULTS_BRANCH must not overwrite code.
 */
async function refuseDefaultBranch(remote, branch) {
    const head = await remoteDefaultBranch(remote.url, tokenEnvironment(remote.url, remote.token));
    const refused = head ? [head] : ["main", "master"];
    if (refused.includes(branch))
        throw new ConfigError(`refusing to publish results to ${branch}: it is ${head ? "the default branch" : "main or master, and the default branch"} of ${redactUrls(remote.url)}${head ? "" : " could not be told"}; set HPC_RESULTS_BRANCH to a branch of its own (hpc-results)`);
}

;// CONCATENATED MODULE: ./.build/src/coverage/file-coverage.js
// The in-memory shape of line coverage, shared by the Julia .cov reader, the lcov reader, the lcov writer
// and the summary, and the one place where records of the same file are combined (lcov's rules).
function branchKey(line, block, branch) {
    return `${line},${block},${branch}`;
}
/** lcov reads a negative count as 0 (it comes from broken gcov data), so every sum here does too. */
function addCount(sum, count) {
    return (sum ?? 0) + (count < 0 ? 0 : count);
}
/** lcov's rule for a branch seen twice: "-" gives way to a number, numbers add up. */
function addTaken(sum, taken) {
    if (sum === undefined || sum === null)
        return taken;
    return taken === null ? sum : sum + taken;
}
/** Adds `from` into `into` (same file): counts of the same line, function or branch are summed. */
function addFileCoverage(into, from) {
    for (const [line, count] of from.lines)
        into.lines.set(line, addCount(into.lines.get(line), count));
    if (from.functions) {
        const functions = (into.functions ??= new Map());
        for (const [name, fn] of from.functions) {
            const known = functions.get(name);
            if (known) {
                known.hits += fn.hits;
                known.line ??= fn.line;
            }
            else
                functions.set(name, { line: fn.line, hits: fn.hits });
        }
    }
    if (from.branches) {
        const branches = (into.branches ??= new Map());
        for (const [key, br] of from.branches) {
            const known = branches.get(key);
            if (known)
                known.taken = addTaken(known.taken, br.taken);
            else
                branches.set(key, { ...br });
        }
    }
}
/**
 * One entry per path, in a deterministic order (by path, compared by code unit, not by locale).
 * A path seen once keeps its object as it is; records of a path seen more than once are summed into a new
 * object. The inputs are never modified.
 */
function mergeByPath(files) {
    const list = [...files];
    if (isStrictlySorted(list))
        return list;
    const byPath = new Map();
    for (const file of list) {
        const group = byPath.get(file.path);
        if (group)
            group.push(file);
        else
            byPath.set(file.path, [file]);
    }
    const merged = [];
    for (const [path, group] of byPath) {
        if (group.length === 1 && group[0]) {
            merged.push(group[0]);
            continue;
        }
        const sum = { path, lines: new Map() };
        for (const file of group)
            addFileCoverage(sum, file);
        merged.push(sum);
    }
    return merged.sort((a, b) => compareStrings(a.path, b.path));
}
/** Already one entry per path, in order (what the lcov reader returns): nothing to merge or sort. */
function isStrictlySorted(files) {
    for (let i = 1; i < files.length; i++) {
        if (!(files[i - 1].path < files[i].path))
            return false;
    }
    return true;
}
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./.build/src/coverage/describe-error.js
// File-system errors in words for messages that name the file themselves ("cannot read X: no such file").
function describeError(error) {
    if (error && typeof error === "object" && "code" in error) {
        const code = String(error.code);
        const reasons = {
            ENOENT: "no such file",
            ENOTDIR: "not a directory",
            EISDIR: "is a directory",
            EACCES: "permission denied",
        };
        return reasons[code] ?? (error instanceof Error ? error.message : code);
    }
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./.build/src/coverage/line-counts.js
// Execution counts by line number for the lcov and Julia .cov readers. A tracefile of 50 MB holds millions of DA lines;
// a Float64Array indexed by line number fills several times faster than a Map, and its memory lives
// outside the JavaScript heap, so the garbage collector never copies it. Line numbers far past the others
// (DA:999999999) go to a Map so that the array stays at most a few times the number of lines.
const ABSENT = -1;
const DENSE_LIMIT = 1 << 22;
const DENSE_SLACK = 64;
class line_counts_LineCounts {
    /** Index = line number; ABSENT where the line is not code. Counts are >= 0 (negatives read as 0). */
    dense = new Float64Array(0);
    /** One past the highest line number held in `dense`. */
    denseEnd = 0;
    sparse;
    size = 0;
    /** `expectedLines`: room for lines 1..n from the start (a .cov file's source length is known). */
    constructor(expectedLines = 0) {
        if (expectedLines > 0)
            this.dense = new Float64Array(Math.min(expectedLines + 1, DENSE_LIMIT)).fill(ABSENT);
    }
    /** Adds a count (>= 0) to a line, making the line code if it was not. A line lives in one place only. */
    add(line, count) {
        const dense = this.dense;
        if (line < dense.length) {
            const old = dense[line];
            if (old !== ABSENT) {
                dense[line] = old + count;
                return;
            }
            if (!this.sparse?.has(line)) {
                this.setDense(line, count);
                return;
            }
        }
        else if (line < DENSE_LIMIT && line <= this.size * 4 + DENSE_SLACK && !this.sparse?.has(line)) {
            const bigger = new Float64Array(Math.max(line + 1, dense.length * 2, 64)).fill(ABSENT);
            bigger.set(dense);
            this.dense = bigger;
            this.setDense(line, count);
            return;
        }
        const sparse = (this.sparse ??= new Map());
        const old = sparse.get(line);
        if (old === undefined)
            this.size++;
        sparse.set(line, (old ?? 0) + count);
    }
    setDense(line, count) {
        this.dense[line] = count;
        this.size++;
        if (line >= this.denseEnd)
            this.denseEnd = line + 1;
    }
    /** Visits every code line: the dense part by line number, then the rare far-off lines. */
    forEach(fn) {
        const dense = this.dense;
        for (let line = 0; line < this.denseEnd; line++) {
            const count = dense[line];
            if (count !== ABSENT)
                fn(count, line);
        }
        this.sparse?.forEach(fn);
    }
    toMap() {
        const map = new Map();
        this.forEach((count, line) => map.set(line, count));
        return map;
    }
}

;// CONCATENATED MODULE: ./.build/src/coverage/julia-cov.js






/** Folders searched when none are given, relative to the root (a package's code and its extensions). */
const DEFAULT_COVERAGE_DIRS = ["src", "ext"];
/** `<source>.jl.<pid>.cov`, and `<source>.jl.cov` from Julia before 0.4 (as CoverageTools.jl accepts). */
const COV_FILE = /^(.+\.jl)(?:\.\d+)?\.cov$/;
const MEM_FILE = /^.+\.jl(?:\.\d+)?\.mem$/;
const MAX_WARNINGS_PER_FILE = 5;
const PARALLEL_DELETES = 8;
/** Parses one `.cov` file. Never throws: a malformed line is reported and read as "not code". */
function parseJuliaCov(data, name = "<cov>") {
    const counts = new LineCounts();
    const { lineCount, warnings } = addJuliaCov(typeof data === "string" ? Buffer.from(data, "utf8") : data, name, counts);
    return { lines: counts.toMap(), lineCount, warnings };
}
/**
 * Adds the counts of one `.cov` file into `counts` (a line becomes code when this file gives it a count)
 * and returns its line count and warnings. Works on the bytes: a `.cov` file is mostly source text that
 * only needs skipping, so it is never decoded.
 */
function addJuliaCov(buf, name, counts) {
    const warnings = [];
    let bad = 0;
    let lineNo = 0;
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
        let end = buf.indexOf(10, pos);
        if (end === -1)
            end = n;
        lineNo++;
        let i = pos;
        while (i < end && buf[i] === 32)
            i++;
        let ok = true;
        let count = -1;
        if (buf[i] === 45)
            i++;
        else if (i < end && isDigit(buf[i])) {
            count = 0;
            for (; i < end && isDigit(buf[i]); i++)
                count = count * 10 + (buf[i] - 48);
        }
        else
            ok = false;
        // The field ends at the space before the source line; a line that was blank may have lost that space.
        if (ok && i < end && buf[i] !== 32 && !(buf[i] === 13 && i === end - 1))
            ok = false;
        if (!ok) {
            if (bad++ < MAX_WARNINGS_PER_FILE) {
                warnings.push(`${name}:${lineNo}: not a coverage line (want a count or "-" in 9 columns, a space, the source line); skipped`);
            }
        }
        else if (count >= 0)
            counts.add(lineNo, count);
        pos = end + 1;
    }
    if (bad > MAX_WARNINGS_PER_FILE)
        warnings.push(`${name}: ${bad - MAX_WARNINGS_PER_FILE} more malformed line(s)`);
    return { lineCount: lineNo, warnings };
}
let scratch = Buffer.allocUnsafe(1 << 20);
/**
 * A file's bytes, in a buffer that the next call reuses: each file is read, parsed and dropped, so a run
 * over thousands of files makes no garbage per file (a third faster than readFile, bench/coverage.bench.mjs).
 */
function readWhole(path) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, "r");
    try {
        // One byte more than the size fstat gives, so that one read usually gets it all and the next says "end".
        const expected = (0,external_node_fs_namespaceObject.fstatSync)(fd).size + 1;
        if (scratch.length < expected)
            scratch = Buffer.allocUnsafe(Math.max(expected, scratch.length * 2));
        let length = 0;
        for (;;) {
            if (length === scratch.length) {
                const bigger = Buffer.allocUnsafe(scratch.length * 2);
                scratch.copy(bigger);
                scratch = bigger;
            }
            const n = (0,external_node_fs_namespaceObject.readSync)(fd, scratch, length, scratch.length - length, length);
            if (n === 0)
                return scratch.subarray(0, length);
            length += n;
        }
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
function isDigit(c) {
    return c !== undefined && c >= 48 && c <= 57;
}
/** Lines as Julia counts them when it writes a .cov file: a last line without "\n" still counts. */
function countLines(buf) {
    let count = 0;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1))
        count++;
    if (buf.length > 0 && buf[buf.length - 1] !== 10)
        count++;
    return count;
}
/**
 * Reads the `.cov` files under `dirs` (relative to `root`, default `src` and `ext`; missing default
 * folders are skipped quietly) and sums them per source file. A `.cov` file whose source is gone is left
 * out with a warning, one whose line count differs from its source's is kept with a warning.
 */
async function readJuliaCoverage(root, dirs) {
    const warnings = [];
    const searched = dirs ?? DEFAULT_COVERAGE_DIRS;
    const bySource = await findCoverageFiles(root, searched, dirs === undefined, warnings);
    if (bySource.size === 0) {
        warnings.push(`no Julia coverage files (<file>.jl.<pid>.cov) under ${searched.join(", ")} in ${(0,external_node_path_namespaceObject.resolve)(root)}`);
    }
    const sources = [...bySource.keys()].sort(compareStrings);
    const files = [];
    for (const source of sources) {
        const result = readSourceCoverage(root, source, bySource.get(source) ?? []);
        warnings.push(...result.warnings);
        if (result.file)
            files.push(result.file);
    }
    files.sort((a, b) => compareStrings(a.path, b.path));
    return { files, warnings };
}
/** Sums the `.cov` files of one source. Synchronous on purpose: each read reuses one buffer (readWhole). */
function readSourceCoverage(root, source, covFiles) {
    const warnings = [];
    const display = toLcovPath(root, source);
    let sourceLines;
    try {
        sourceLines = countLines(readWhole(source));
    }
    catch (error) {
        const names = covFiles.map((f) => toLcovPath(root, f)).join(", ");
        const why = error.code === "ENOENT"
            ? `its source ${display} no longer exists`
            : `cannot read its source ${display}: ${describeError(error)}`;
        return { warnings: [`stale coverage file(s) ignored: ${names} (${why})`] };
    }
    const counts = new line_counts_LineCounts(sourceLines);
    for (const covFile of covFiles.sort(compareStrings)) {
        const name = toLcovPath(root, covFile);
        let data;
        try {
            data = readWhole(covFile);
        }
        catch (error) {
            warnings.push(`cannot read ${name}: ${describeError(error)}; ignored`);
            continue;
        }
        const parsed = addJuliaCov(data, name, counts);
        warnings.push(...parsed.warnings);
        if (parsed.lineCount !== sourceLines) {
            warnings.push(`${name} has ${parsed.lineCount} line(s) but ${display} has ${sourceLines}: it may be from an older version of the source`);
        }
    }
    return { file: { path: display, lines: counts.toMap() }, warnings };
}
/** Source path (absolute) -> its `.cov` files (absolute), each file once even if folders overlap. */
async function findCoverageFiles(root, dirs, quietIfMissing, warnings) {
    const bySource = new Map();
    const seen = new Set();
    for (const dir of dirs) {
        const absolute = (0,external_node_path_namespaceObject.resolve)(root, dir);
        await walk(absolute, quietIfMissing, warnings, (folder, name) => {
            const m = COV_FILE.exec(name);
            if (!m)
                return;
            const covFile = (0,external_node_path_namespaceObject.join)(folder, name);
            if (seen.has(covFile))
                return;
            seen.add(covFile);
            const source = (0,external_node_path_namespaceObject.join)(folder, m[1]);
            const group = bySource.get(source);
            if (group)
                group.push(covFile);
            else
                bySource.set(source, [covFile]);
        });
    }
    return bySource;
}
/** Calls `visit` for each regular file under `dir`. Symbolic links are not followed (no loops). */
async function walk(dir, quietIfMissing, warnings, visit) {
    let entries;
    try {
        entries = await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true });
    }
    catch (error) {
        const code = error.code;
        if (!(quietIfMissing && code === "ENOENT"))
            warnings.push(`cannot search ${dir}: ${describeError(error)}`);
        return;
    }
    for (const entry of entries) {
        if (entry.isDirectory())
            await walk((0,external_node_path_namespaceObject.join)(dir, entry.name), false, warnings, visit);
        else if (entry.isFile())
            visit(dir, entry.name);
    }
}
/** The SF path: relative to the root, with "/" on every system; absolute when outside the root's drive. */
function toLcovPath(root, file) {
    const rel = (0,external_node_path_namespaceObject.relative)((0,external_node_path_namespaceObject.resolve)(root), file);
    const path = rel === "" || (0,external_node_path_namespaceObject.isAbsolute)(rel) ? file : rel;
    return external_node_path_namespaceObject.sep === "/" ? path : path.split(external_node_path_namespaceObject.sep).join("/");
}
/**
 * Deletes the `.cov` files (Julia's, by name) under `dirs` so that a new run does not add to old counts,
 * like Coverage.jl's clean_folder. Returns the deleted paths, sorted. Folders that are missing or cannot
 * be read are skipped; a file that cannot be deleted rejects with its path and the reason.
 */
async function cleanCoverageFiles(dirs, options = {}) {
    const root = options.root ?? process.cwd();
    const targets = [];
    const unreadable = [];
    for (const dir of dirs) {
        await walk((0,external_node_path_namespaceObject.resolve)(root, dir), true, unreadable, (folder, name) => {
            if (COV_FILE.test(name) || (options.includeMemFiles && MEM_FILE.test(name)))
                targets.push((0,external_node_path_namespaceObject.join)(folder, name));
        });
    }
    const unique = [...new Set(targets)].sort(compareStrings);
    await mapLimited(unique, PARALLEL_DELETES, async (file) => {
        try {
            await (0,promises_namespaceObject.unlink)(file);
        }
        catch (error) {
            if (error.code !== "ENOENT")
                throw new Error(`cannot delete ${file}: ${describeError(error)}`, { cause: error });
        }
    });
    return unique;
}
async function mapLimited(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await fn(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./.build/src/coverage/lcov-reader.js
// Reads lcov tracefiles the way Debian's lcov 1.16 (`lcov --summary`) does, so that our totals are its
// totals: records of the same SF are summed line by line, LF/LH/FNF/FNH/BRF/BRH are ignored (recomputed
// from DA/FN/FNDA/BRDA), a DA checksum is accepted, a negative count counts as 0, a line that is no
// record is skipped, and a `.gz` file is read through gunzip. lcov keeps each kind of data (lines,
// functions, branches) of a file in its own table, stored at end_of_record; a record that never ends
// still adds to the tables its file already had and loses the rest. We keep the same tables, so we gain
// and lose the same data. We go on where lcov stops (a checksum mismatch, a file with no records) and say
// why in `warnings`. Known differences, on input no tool writes: lcov keys numbers by their digits (DA:01
// and DA:1 are two lines to it, one here); "\r" before "\n" is dropped here (lcov keeps it in names, which
// matters only when one file mixes line ends); names that are not UTF-8 may merge here.






/** The most warnings kept in detail; the rest are counted in one last line. */
const MAX_WARNINGS = 50;
const READ_CHUNK_BYTES = 1 << 20;
const FN_RE = /^FN:(\d+),([^,]+)/;
const FNDA_RE = /^FNDA:(\d+),([^,]+)/;
const BRDA_RE = /^BRDA:(\d+),(\d+),(\d+),(\d+|-)/;
/** Records lcov reads without keeping anything from them (they are recomputed or not used for totals). */
const IGNORED_PREFIXES = ["TN:", "LF:", "LH:", "FNF:", "FNH:", "BRF:", "BRH:", "VER:", "FNL:", "FNA:"];
/** Incremental reader: feed text in pieces of any size with `push`, then call `end`. */
class lcov_reader_LcovReader {
    source;
    files = new Map();
    /** Where DA/FN/... lines go: the last SF's record (still so after its end_of_record, as in lcov). */
    record = { name: "", openedAt: 0, ended: false };
    /** The start of a line cut by the end of the last piece. */
    pending;
    lineNo = 0;
    warnings = [];
    droppedWarnings = 0;
    firstNegative = 0;
    /** @param source names the input in warnings. */
    constructor(source = "<lcov>") {
        this.source = source;
    }
    /**
     * Reads a piece of the input: bytes (UTF-8, as lcov files are) or text. Pieces may be cut anywhere,
     * except that a text piece should not end inside a surrogate pair.
     */
    push(piece) {
        // Bytes, not a decoded string: DA lines are parsed in place and only names are ever decoded.
        const buf = typeof piece === "string" ? Buffer.from(piece, "utf8") : toBuffer(piece);
        let start = 0;
        let end = buf.indexOf(10);
        if (this.pending) {
            if (end === -1) {
                this.pending = Buffer.concat([this.pending, buf]);
                return;
            }
            const joined = Buffer.concat([this.pending, buf.subarray(0, end)]);
            this.pending = undefined;
            this.line(joined, 0, joined.length);
            start = end + 1;
            end = buf.indexOf(10, start);
        }
        while (end !== -1) {
            this.line(buf, start, end);
            start = end + 1;
            end = buf.indexOf(10, start);
        }
        // A copy: the caller may reuse its buffer for the next piece.
        if (start < buf.length)
            this.pending = Buffer.from(buf.subarray(start));
    }
    /** Reads what is left and returns the coverage with Maps of lines (the public shape). */
    end() {
        const { entries, warnings } = this.finish();
        const files = entries.map((entry) => ({ ...entry, lines: entry.lines.toMap() }));
        return { files, warnings };
    }
    /** Reads what is left and returns the entries as held (for summaries, which need no Maps). Internal. */
    finish() {
        if (this.pending)
            this.line(this.pending, 0, this.pending.length);
        this.pending = undefined;
        this.checkUnended();
        if (this.firstNegative > 0) {
            this.warn(this.firstNegative, "negative counts found (counted as 0, as lcov does)");
        }
        const entries = [];
        for (const [path, tables] of this.files) {
            // lcov drops a file without any DA line, its functions and branches with it.
            if (!tables.lines || tables.lines.size === 0)
                continue;
            const entry = { path, lines: tables.lines };
            if (tables.functions)
                entry.functions = tables.functions;
            if (tables.branches)
                entry.branches = tables.branches;
            entries.push(entry);
        }
        entries.sort((a, b) => compareStrings(a.path, b.path));
        if (entries.length === 0)
            this.warnings.push(`${this.source}: no valid records found (no DA lines)`);
        if (this.droppedWarnings > 0)
            this.warnings.push(`${this.source}: ${this.droppedWarnings} more warning(s) not shown`);
        return { entries, warnings: this.warnings };
    }
    /** One line: `buf` from `start` to `end` (the "\n" excluded). */
    line(buf, start, end) {
        this.lineNo++;
        if (end > start && buf[end - 1] === 13)
            end--;
        // DA is nearly every line of a tracefile: parse it in place, the rest with lcov's own patterns.
        if (end - start >= 3 && buf[start] === 68 && buf[start + 1] === 65 && buf[start + 2] === 58) {
            this.da(buf, start + 3, end);
            return;
        }
        const text = buf.toString("utf8", start, end);
        if (text.startsWith("SF:") || text.startsWith("KF:")) {
            this.startRecord(text.slice(3));
        }
        else if (text.startsWith("end_of_record")) {
            this.endRecord();
        }
        else if (text.startsWith("FN:")) {
            const m = FN_RE.exec(text);
            if (!m)
                return this.malformed("FN");
            const functions = (this.data().functions ??= new Map());
            const name = m[2];
            const known = functions.get(name);
            if (known)
                known.line = Number(m[1]);
            else
                functions.set(name, { line: Number(m[1]), hits: 0 });
        }
        else if (text.startsWith("FNDA:")) {
            const m = FNDA_RE.exec(text);
            if (!m)
                return this.malformed("FNDA");
            const functions = (this.data().functions ??= new Map());
            const name = m[2];
            const known = functions.get(name);
            if (known)
                known.hits += Number(m[1]);
            else
                functions.set(name, { line: undefined, hits: Number(m[1]) });
        }
        else if (text.startsWith("BRDA:")) {
            const m = BRDA_RE.exec(text);
            if (!m)
                return this.malformed("BRDA");
            const [line, block, branch] = [Number(m[1]), Number(m[2]), Number(m[3])];
            // "-5" matches lcov's (\d+|-) as "-": a negative branch count reads as "not evaluated".
            const taken = m[4] === "-" ? null : Number(m[4]);
            const branches = (this.data().branches ??= new Map());
            const key = branchKey(line, block, branch);
            const known = branches.get(key);
            if (known)
                known.taken = addTaken(known.taken, taken);
            else
                branches.set(key, { line, block, branch, taken });
        }
        else if (text !== "" && !IGNORED_PREFIXES.some((p) => text.startsWith(p))) {
            this.warn(this.lineNo, `not an lcov record, skipped: ${JSON.stringify(text.slice(0, 80))}`);
        }
    }
    /**
     * The rest of `DA:<line>,<count>[,<checksum>]` (from `i` to `end`), read like lcov's
     * /^DA:(\d+),(-?\d+)(,[^,\s]+)?/: whatever follows is ignored.
     */
    da(buf, i, end) {
        const lineStart = i;
        let line = 0;
        for (let c = buf[i]; i < end && c >= 48 && c <= 57; c = buf[++i])
            line = line * 10 + (c - 48);
        if (i === lineStart || i >= end || buf[i] !== 44)
            return this.malformed("DA");
        i++;
        const negative = i < end && buf[i] === 45;
        if (negative)
            i++;
        const countStart = i;
        let count = 0;
        for (let c = buf[i]; i < end && c >= 48 && c <= 57; c = buf[++i])
            count = count * 10 + (c - 48);
        if (i === countStart)
            return this.malformed("DA");
        if (negative && count > 0) {
            count = 0;
            if (this.firstNegative === 0)
                this.firstNegative = this.lineNo;
        }
        const record = this.data();
        (record.lines ??= new line_counts_LineCounts()).add(line, count);
        if (i < end && buf[i] === 44) {
            let j = i + 1;
            while (j < end && !isChecksumStop(buf[j]))
                j++;
            if (j > i + 1)
                this.checksum(record, line, buf.toString("utf8", i + 1, j));
        }
    }
    checksum(record, line, checksum) {
        const checksums = (record.checksums ??= new Map());
        const known = checksums.get(line);
        if (known === undefined)
            checksums.set(line, checksum);
        else if (known !== checksum) {
            // lcov aborts here ("checksum mismatch"); the counts are still good, so we sum them and say so.
            this.warn(this.lineNo, `checksum mismatch at ${record.name}:${line} (counts summed anyway)`);
        }
    }
    startRecord(name) {
        this.checkUnended();
        // lcov looks the file up again: data goes on into the tables it has, new tables start empty.
        const stored = this.files.get(name);
        this.record = { ...stored, name, openedAt: this.lineNo, ended: false };
    }
    endRecord() {
        const record = this.record;
        if (record.openedAt === 0)
            return; // no SF yet
        // lcov keeps a record only if its name is "true" to Perl: "" and "0" are not.
        if (record.name === "" || record.name === "0") {
            if (!record.ended && hasData(record))
                this.warn(record.openedAt, `record with file name "${record.name}" ignored`);
        }
        else {
            const { lines, functions, branches, checksums } = record;
            this.files.set(record.name, { lines, functions, branches, checksums });
        }
        record.ended = true;
    }
    /** Data of a record that never ended is lost where its file had no table for it yet: say so. */
    checkUnended() {
        const record = this.record;
        if (record.ended || record.openedAt === 0 || record.name === "" || record.name === "0")
            return;
        const stored = this.files.get(record.name);
        const lost = [];
        if (record.lines && record.lines !== stored?.lines)
            lost.push("line");
        if (record.functions && record.functions !== stored?.functions)
            lost.push("function");
        if (record.branches && record.branches !== stored?.branches)
            lost.push("branch");
        if (lost.length > 0) {
            this.warn(record.openedAt, `record for ${record.name} has no end_of_record; its ${lost.join(", ")} data is ignored`);
        }
    }
    /** The record data lines go to; before any SF, one that is never stored (lcov drops that data). */
    data() {
        if (this.record.openedAt === 0 && !hasData(this.record)) {
            this.warn(this.lineNo, "coverage data before any SF record; ignored");
        }
        return this.record;
    }
    malformed(kind) {
        this.warn(this.lineNo, `malformed ${kind} record, skipped`);
    }
    warn(line, message) {
        if (this.warnings.length < MAX_WARNINGS)
            this.warnings.push(`${this.source}:${line}: ${message}`);
        else
            this.droppedWarnings++;
    }
}
function toBuffer(bytes) {
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function hasData(tables) {
    return ((tables.lines?.size ?? 0) > 0 || (tables.functions?.size ?? 0) > 0 || (tables.branches?.size ?? 0) > 0);
}
/** Perl's \s and the comma end a DA checksum. */
function isChecksumStop(c) {
    return c === 44 || c === 32 || (c >= 9 && c <= 13);
}
/** Reads lcov text held in memory. `source` names it in warnings. */
function parseLcov(text, source) {
    const reader = new lcov_reader_LcovReader(source);
    reader.push(text);
    return reader.end();
}
/** Reads an lcov file (gzipped if its name ends in .gz) in 1 MiB pieces, never as one string. */
async function readLcovFile(path) {
    return (await readIntoReader(path)).end();
}
/** A reader fed with a whole file, piece by piece. Rejects with the path and the reason. */
async function readIntoReader(path) {
    const reader = new lcov_reader_LcovReader(path);
    const sink = async (pieces) => {
        for await (const piece of pieces)
            reader.push(piece);
    };
    const file = (0,external_node_fs_namespaceObject.createReadStream)(path, { highWaterMark: READ_CHUNK_BYTES });
    try {
        if (path.endsWith(".gz"))
            await (0,external_node_stream_promises_namespaceObject.pipeline)(file, (0,external_node_zlib_namespaceObject.createGunzip)({ chunkSize: READ_CHUNK_BYTES }), sink);
        else
            await (0,external_node_stream_promises_namespaceObject.pipeline)(file, sink);
    }
    catch (error) {
        throw new Error(`cannot read lcov file ${path}: ${describeError(error)}`, { cause: error });
    }
    return reader;
}

;// CONCATENATED MODULE: ./.build/src/coverage/byte-writer.js
// Builds a large ASCII-mostly text as bytes. The lcov writer emits one short line per covered source line
// (hundreds of thousands for a big package); formatting those numbers straight into a buffer is several
// times faster than making a string per line (measured with bench/coverage.bench.mjs).
class ByteWriter {
    buf = Buffer.allocUnsafe(1 << 16);
    pos = 0;
    /** Appends text (UTF-8). */
    text(value) {
        this.reserve(value.length * 3);
        this.pos += this.buf.write(value, this.pos, "utf8");
        return this;
    }
    /** Appends a number as `String(n)` would write it, fast for the non-negative safe integers of counts. */
    number(n) {
        if (!(Number.isSafeInteger(n) && n >= 0))
            return this.text(String(n));
        this.reserve(16);
        const buf = this.buf;
        let end = this.pos;
        let digits = 1;
        for (let rest = n; rest >= 10; rest = Math.floor(rest / 10))
            digits++;
        end += digits;
        for (let i = end - 1, rest = n; i >= this.pos; i--, rest = Math.floor(rest / 10))
            buf[i] = 48 + (rest % 10);
        this.pos = end;
        return this;
    }
    /** Appends one byte (an ASCII character code). */
    byte(code) {
        this.reserve(1);
        this.buf[this.pos++] = code;
        return this;
    }
    toString() {
        return this.buf.toString("utf8", 0, this.pos);
    }
    reserve(bytes) {
        if (this.pos + bytes <= this.buf.length)
            return;
        const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
        this.buf.copy(bigger, 0, 0, this.pos);
        this.buf = bigger;
    }
}

;// CONCATENATED MODULE: ./.build/src/coverage/lcov-writer.js
// Writes lcov tracefiles in geninfo's record order (TN, SF, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, DA, LF,
// LH, end_of_record), files sorted by path and everything else by number, so the same coverage always
// gives the same bytes. Records of one path are summed into one.


const NEWLINE = 10;
const COMMA = 44;
function toLcov(files, options = {}) {
    const testName = options.testName ?? "";
    if (/\W/.test(testName))
        throw new Error(`lcov test name may hold only letters, digits and "_": ${testName}`);
    const out = new ByteWriter();
    for (const file of mergeByPath(files)) {
        if (/[\r\n]/.test(file.path))
            throw new Error(`a file path in lcov cannot hold a line break: ${JSON.stringify(file.path)}`);
        out.text(`TN:${testName}\nSF:${file.path}\n`);
        writeFunctions(out, file);
        writeBranches(out, file);
        let hit = 0;
        linesInOrder(file.lines).forEach((count, line) => {
            if (count > 0)
                hit++;
            out.text("DA:").number(line).byte(COMMA).number(count).byte(NEWLINE);
        });
        out.text(`LF:${file.lines.size}\nLH:${hit}\nend_of_record\n`);
    }
    return out.toString();
}
function writeFunctions(out, file) {
    if (!file.functions || file.functions.size === 0)
        return;
    const functions = [...file.functions].sort(([nameA, a], [nameB, b]) => (a.line ?? Infinity) - (b.line ?? Infinity) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0));
    for (const [name, fn] of functions)
        if (fn.line !== undefined)
            out.text(`FN:${fn.line},${name}\n`);
    let hit = 0;
    for (const [name, fn] of functions) {
        if (fn.hits > 0)
            hit++;
        out.text(`FNDA:${fn.hits},${name}\n`);
    }
    out.text(`FNF:${functions.length}\nFNH:${hit}\n`);
}
function writeBranches(out, file) {
    if (!file.branches || file.branches.size === 0)
        return;
    const branches = [...file.branches.values()].sort((a, b) => a.line - b.line || a.block - b.block || a.branch - b.branch);
    let hit = 0;
    for (const br of branches) {
        if (br.taken !== null && br.taken > 0)
            hit++;
        out.text(`BRDA:${br.line},${br.block},${br.branch},${br.taken ?? "-"}\n`);
    }
    out.text(`BRF:${branches.length}\nBRH:${hit}\n`);
}
/** The readers fill their maps in line order almost always, so sorting is mostly skipped. */
function linesInOrder(lines) {
    let previous = -Infinity;
    let sorted = true;
    lines.forEach((_, line) => {
        if (line < previous)
            sorted = false;
        previous = line;
    });
    return sorted ? lines : new Map([...lines].sort((a, b) => a[0] - b[0]));
}

;// CONCATENATED MODULE: ./.build/src/coverage/summary.js
// Totals of line (and function, branch) coverage, counted as `lcov --summary` counts them, and its text.


function percentOf(covered, total) {
    return total === 0 ? 0 : (covered * 100) / total;
}
function ratio(total, covered) {
    return { total, covered, percent: percentOf(covered, total) };
}
/** Summarizes coverage held in memory; several records of one path are summed first. */
function summarize(files, warnings = []) {
    return summarizeMerged(mergeByPath(files), warnings);
}
/** Summarizes files that are one per path already, in order. */
function summarizeMerged(files, warnings) {
    const perFile = [];
    let lines = 0;
    let linesHit = 0;
    let fns = 0;
    let fnsHit = 0;
    let brs = 0;
    let brsHit = 0;
    for (const file of files) {
        if (file.lines.size === 0)
            continue;
        let hit = 0;
        file.lines.forEach((count) => {
            if (count > 0)
                hit++;
        });
        let fnHit = 0;
        file.functions?.forEach((fn) => {
            if (fn.hits > 0)
                fnHit++;
        });
        let brHit = 0;
        file.branches?.forEach((br) => {
            if (br.taken !== null && br.taken > 0)
                brHit++;
        });
        const fnTotal = file.functions?.size ?? 0;
        const brTotal = file.branches?.size ?? 0;
        perFile.push({
            path: file.path,
            lines: ratio(file.lines.size, hit),
            functions: ratio(fnTotal, fnHit),
            branches: ratio(brTotal, brHit),
        });
        lines += file.lines.size;
        linesHit += hit;
        fns += fnTotal;
        fnsHit += fnHit;
        brs += brTotal;
        brsHit += brHit;
    }
    return {
        totalLines: lines,
        coveredLines: linesHit,
        percent: percentOf(linesHit, lines),
        functions: ratio(fns, fnsHit),
        branches: ratio(brs, brsHit),
        files: perFile,
        warnings,
    };
}
/** Summarizes lcov text held in memory. */
function summarizeLcov(text, source) {
    const reader = new LcovReader(source);
    reader.push(text);
    const { entries, warnings } = reader.finish();
    return summarizeMerged(entries, warnings);
}
/** Summarizes an lcov file, read as a stream. Rejects only when the file cannot be read. */
async function summarizeLcovFile(path) {
    const { entries, warnings } = (await readIntoReader(path)).finish();
    return summarizeMerged(entries, warnings);
}
/**
 * lcov's rate(): one decimal, rounded the way C's printf rounds the double (an exact tie goes to the even
 * digit: 0.25 -> "0.2", where JavaScript's toFixed says "0.3"), and never "0.0" when something was hit
 * nor "100.0" when something was missed. "-" when there is nothing to cover.
 */
function formatRate(covered, total) {
    if (total === 0)
        return "-";
    const value = (covered * 100) / total;
    let text = toFixedHalfEven(value, 1);
    if (Number(text) === 0 && covered > 0)
        text = "0.1";
    else if (Number(text) === 100 && covered !== total)
        text = "99.9";
    return text;
}
function toFixedHalfEven(value, digits) {
    const rounded = value.toFixed(digits);
    // toFixed(100) is the double's exact decimal expansion here (0 <= value <= 100): a tie is "...5000...".
    const exact = value.toFixed(100);
    const point = exact.indexOf(".");
    const rest = exact.slice(point + 1 + digits);
    if (!/^50*$/.test(rest))
        return rounded;
    const kept = exact.slice(0, point + 1 + digits);
    const lastDigit = Number(kept[kept.length - 1]);
    return lastDigit % 2 === 0 ? kept : rounded;
}
/** One line of `lcov --summary`, after the label: "63.2% (7800 of 12345 lines)" or "no data found". */
function formatCoverageLine(covered, total, singular, plural) {
    if (total === 0)
        return "no data found";
    return `${formatRate(covered, total)}% (${covered} of ${total} ${total === 1 ? singular : plural})`;
}
/** The text `lcov --summary` prints after "Reading tracefile ...", byte for byte. */
function formatLcovSummary(summary, options = {}) {
    const { functions, branches } = summary;
    const branchLine = options.branchCoverage
        ? formatCoverageLine(branches.covered, branches.total, "branch", "branches")
        : "no data found";
    return [
        "Summary coverage rate:",
        `  lines......: ${formatCoverageLine(summary.coveredLines, summary.totalLines, "line", "lines")}`,
        `  functions..: ${formatCoverageLine(functions.covered, functions.total, "function", "functions")}`,
        `  branches...: ${branchLine}`,
        "",
    ].join("\n");
}

;// CONCATENATED MODULE: ./.build/src/coverage/index.js






;// CONCATENATED MODULE: ./.build/src/test-report/counts.js
/** The schema's limit on a suite name (defs.schema.json#/$defs/name). */
const MAX_NAME_LENGTH = 512;
/** Our ingest refuses any document with a "__proto__" key (contract/json.ts), so never write one. */
const FORBIDDEN_KEY = "__proto__";
const COUNT_FIELDS = ["passed", "failed", "errored", "broken", "skipped", "total"];
/** A name usable as one segment of a suite path: never empty. */
function segmentName(name) {
    const trimmed = name.trim();
    return trimmed === "" ? "(unnamed)" : trimmed;
}
/**
 * A path of names (nested test sets, benchmark groups) as a key of one of the contract's name maps:
 * joined with "/", within the schema's length limit, and never "__proto__".
 */
function pathKey(path) {
    let key = path.join("/");
    if (key === FORBIDDEN_KEY)
        key = `(${key})`;
    if (key.length > MAX_NAME_LENGTH)
        key = `${key.slice(0, MAX_NAME_LENGTH - 1)}…`;
    return key;
}
/** Adds `more` into `into` (fields absent from `more` are left alone). Durations are kept to milliseconds. */
function addCounts(into, more) {
    for (const field of COUNT_FIELDS) {
        const value = more[field];
        if (value !== undefined)
            into[field] = (into[field] ?? 0) + value;
    }
    if (more.duration_seconds !== undefined) {
        into.duration_seconds = roundSeconds((into.duration_seconds ?? 0) + more.duration_seconds);
    }
    return into;
}
function roundSeconds(seconds) {
    return Math.round(seconds * 1000) / 1000;
}
/**
 * Collects suites in report order. A Map, not an object, so that names such as "constructor" or
 * "__proto__" are plain keys; a suite that appears twice (a `@testset` in a loop, the same name in two
 * tables) has its counts summed.
 */
class SuiteCollector {
    suites = new Map();
    totals = {};
    add(path, counts) {
        const key = pathKey(path);
        const existing = this.suites.get(key);
        if (existing)
            addCounts(existing, counts);
        else
            this.suites.set(key, addCounts({}, counts));
        if (path.length === 1)
            addCounts(this.totals, counts);
    }
    get size() {
        return this.suites.size;
    }
    report() {
        return { suites: Object.fromEntries(this.suites), totals: { ...this.totals } };
    }
}

;// CONCATENATED MODULE: ./.build/src/test-report/julia-summary.js

const COUNT_FIELD = {
    Pass: "passed",
    Fail: "failed",
    Error: "errored",
    Broken: "broken",
    Total: "total",
};
const KIND_COLUMNS = ["Pass", "Fail", "Error", "Broken"];
const COLUMNS = new Set([...KIND_COLUMNS, "Total", "Time"]);
// CSI sequences (colours, bold), OSC sequences (hyperlinks, titles; bounded in length) and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,2048}(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const HEADER_TEXT = "Test Summary:";
const MAX_PREFIX = 200;
const SEPARATOR = " | ";
const DURATION = /^(?:(\d+)m)?(\d+(?:\.\d+)?)s$/;
const CELL = /No tests|\S+/g;
const ZERO_TOTALS = new Set(["None", "No tests"]);
function stripAnsi(text) {
    return text.replace(ANSI, "");
}
/** Reads every `Test Summary:` table in a test log. Never throws: lines that are not rows end a table. */
function parseJuliaTestSummary(log) {
    const lines = stripAnsi(log).split(/\r?\n|\r/);
    const collector = new SuiteCollector();
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
        const header = parseHeader(lines[i]);
        if (!header)
            continue;
        tables++;
        const path = [];
        let baseIndent = -1;
        for (; i + 1 < lines.length; i++) {
            const row = parseRow(lines[i + 1], header);
            if (!row)
                break;
            if (baseIndent === -1)
                baseIndent = row.indent;
            // A name may start with spaces of its own, so depth can only grow one level per row.
            const depth = Math.max(0, Math.min(Math.floor((row.indent - baseIndent) / 2), path.length));
            path.length = depth;
            path.push(segmentName(row.name));
            collector.add(path, row.counts);
        }
    }
    return { ...collector.report(), tables };
}
function parseHeader(line) {
    const at = line.indexOf(HEADER_TEXT);
    if (at === -1 || at > MAX_PREFIX)
        return undefined;
    const prefix = new RegExp(`^${line
        .slice(0, at)
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\d/g, "\\d")}`);
    const rest = line.slice(at + HEADER_TEXT.length);
    const bar = /^( *) \|/.exec(rest);
    if (!bar)
        return undefined;
    // "Test Summary: |" then a space, except before Julia 1.11 when the table has no results at all.
    let cells = rest.slice(bar[0].length);
    if (cells.startsWith(" "))
        cells = cells.slice(1);
    const columns = [];
    for (const label of cells.matchAll(/\S+/g)) {
        if (!COLUMNS.has(label[0]))
            return undefined;
        columns.push({ name: label[0], end: label.index + label[0].length });
    }
    return { prefix, nameWidth: HEADER_TEXT.length + bar[1].length, columns };
}
function parseRow(line, header) {
    const prefix = header.prefix.exec(line);
    if (!prefix)
        return undefined;
    const body = line.slice(prefix[0].length);
    const sep = body.lastIndexOf(SEPARATOR);
    if (sep === -1)
        return undefined;
    const namePart = body.slice(0, sep);
    // Julia pads by display width; for ASCII names that is the character count, a strong check that this
    // is a row of this table and not a stray line containing " | ".
    if (/^[\x20-\x7e]*$/.test(namePart) && namePart.length !== header.nameWidth)
        return undefined;
    const counts = parseCells(body.slice(sep + SEPARATOR.length), header);
    if (!counts)
        return undefined;
    const indent = namePart.length - namePart.trimStart().length;
    return { indent, name: namePart, counts };
}
function parseCells(cells, header) {
    const values = new Map();
    const tokens = [...cells.matchAll(CELL)];
    if (tokens.length === 0)
        return undefined;
    const hasTime = header.columns.some((c) => c.name === "Time");
    for (const [i, token] of tokens.entries()) {
        const text = token[0];
        const end = token.index + text.length;
        if (hasTime && i === tokens.length - 1 && (DURATION.test(text) || text === "?s")) {
            values.set("Time", text);
            continue;
        }
        const column = header.columns.find((c) => c.end === end && c.name !== "Time");
        if (column && !values.has(column.name))
            values.set(column.name, text);
        else if (ZERO_TOTALS.has(text) && !values.has("Total"))
            values.set("Total", text);
        else
            return undefined;
    }
    return countsOf(values, header);
}
function countsOf(values, header) {
    const counts = {};
    const shown = new Set(header.columns.map((c) => c.name));
    for (const kind of KIND_COLUMNS) {
        const text = values.get(kind);
        // A blank cell, or a kind with no column at all, is zero; "x" is a custom testset that cannot say.
        if (text === "x")
            continue;
        const n = text === undefined ? 0 : count(text);
        if (n === undefined)
            return undefined;
        counts[COUNT_FIELD[kind]] = n;
    }
    const total = values.get("Total");
    if (total !== undefined && total !== "?") {
        const n = ZERO_TOTALS.has(total) ? 0 : count(total);
        if (n === undefined)
            return undefined;
        counts.total = n;
    }
    else if (total === undefined && !shown.has("Total")) {
        counts.total = 0;
    }
    const time = values.get("Time");
    const seconds = time === undefined ? undefined : durationSeconds(time);
    if (seconds !== undefined)
        counts.duration_seconds = seconds;
    return counts;
}
function count(text) {
    if (!/^\d{1,15}$/.test(text))
        return undefined;
    return Number(text);
}
/** Julia's format_duration: "12.3s" below a minute, else "1m02.3s"; "?s" when unknown. */
function durationSeconds(text) {
    const m = DURATION.exec(text);
    if (!m)
        return undefined;
    return roundSeconds(Number(m[1] ?? 0) * 60 + Number(m[2]));
}

;// CONCATENATED MODULE: ./.build/src/test-report/xml.js
// A small XML tokenizer for test reports: elements and attributes only, checked for nesting. It is
// deliberately not a general XML parser: a DOCTYPE is refused (internal entity definitions are how
// "billion laughs" documents expand without bound), and the only references expanded are the five
// predefined entities and numeric character references. Text, comments, CDATA and processing
// instructions are skipped, since test counts live in elements and attributes.
class XmlError extends Error {
    line;
    constructor(message, line) {
        super(`line ${line}: ${message}`);
        this.line = line;
        this.name = "XmlError";
    }
}
const xml_MAX_DEPTH = 256;
const NAME = /[^\s/>=<"'!?&]+/y;
const SPACE = /\s*/y;
const PREDEFINED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** Walks `text`, calling the handler for each element; throws XmlError (with the line) on bad input. */
function scanXml(text, handler) {
    const stack = [];
    let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let roots = 0;
    const fail = (message, at = pos) => {
        throw new XmlError(message, lineAt(text, at));
    };
    const skipPast = (terminator, what) => {
        const end = text.indexOf(terminator, pos);
        if (end === -1)
            fail(`${what} is not closed`);
        pos = end + terminator.length;
    };
    const readName = () => {
        NAME.lastIndex = pos;
        const m = NAME.exec(text);
        if (!m)
            return fail("expected a name");
        pos = NAME.lastIndex;
        return m[0];
    };
    const skipSpace = () => {
        SPACE.lastIndex = pos;
        SPACE.exec(text);
        pos = SPACE.lastIndex;
    };
    for (;;) {
        const lt = text.indexOf("<", pos);
        if (lt === -1)
            break;
        pos = lt;
        if (text.startsWith("<?", pos))
            skipPast("?>", "a processing instruction");
        else if (text.startsWith("<!--", pos))
            skipPast("-->", "a comment");
        else if (text.startsWith("<![CDATA[", pos))
            skipPast("]]>", "a CDATA section");
        else if (/^<!DOCTYPE/i.test(text.slice(pos, pos + 9)))
            fail("a DOCTYPE is not accepted in a test report");
        else if (text.startsWith("<!", pos))
            fail("unexpected markup declaration");
        else if (text.startsWith("</", pos)) {
            pos += 2;
            const name = readName();
            skipSpace();
            if (text[pos] !== ">")
                fail(`expected ">" to end </${name}`);
            pos++;
            const open = stack.pop();
            if (open !== name)
                fail(open === undefined ? `</${name}> closes nothing` : `</${name}> closes <${open}>`);
            handler.close(name);
        }
        else {
            pos++;
            const name = readName();
            const attributes = new Map();
            for (;;) {
                const before = pos;
                skipSpace();
                if (text.startsWith("/>", pos) || text[pos] === ">")
                    break;
                if (pos === before)
                    fail(`expected whitespace before an attribute of <${name}>`);
                const attr = readName();
                skipSpace();
                if (text[pos] !== "=")
                    fail(`expected "=" after attribute ${attr}`);
                pos++;
                skipSpace();
                const quote = text[pos];
                if (quote !== '"' && quote !== "'")
                    fail(`expected a quoted value for attribute ${attr}`);
                const end = text.indexOf(quote, pos + 1);
                if (end === -1)
                    fail(`the value of attribute ${attr} is not closed`);
                const raw = text.slice(pos + 1, end);
                if (raw.includes("<"))
                    fail(`"<" in the value of attribute ${attr}`);
                if (attributes.has(attr))
                    fail(`attribute ${attr} appears twice in <${name}>`);
                attributes.set(attr, decodeReferences(raw, (message) => fail(`${message} in attribute ${attr}`)));
                pos = end + 1;
            }
            const selfClosing = text[pos] === "/";
            pos += selfClosing ? 2 : 1;
            if (stack.length === 0 && ++roots > 1)
                fail("more than one root element", lt);
            if (stack.length >= xml_MAX_DEPTH)
                fail(`elements nested deeper than ${xml_MAX_DEPTH} levels`, lt);
            handler.open(name, attributes);
            if (selfClosing)
                handler.close(name);
            else
                stack.push(name);
        }
    }
    if (stack.length > 0)
        fail(`<${stack[stack.length - 1]}> is not closed`, text.length);
    if (roots === 0)
        fail("no element found", text.length);
}
/** Expands &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN;, and nothing else. */
function decodeReferences(raw, fail) {
    if (!raw.includes("&"))
        return raw;
    return raw.replace(/&([^;&\s]*);?/g, (match, body) => {
        if (!match.endsWith(";"))
            return fail(`"&" that starts no reference`);
        const named = PREDEFINED[body];
        if (named !== undefined && Object.hasOwn(PREDEFINED, body))
            return named;
        const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
        if (!numeric)
            return fail(`unknown entity &${body}; (only the five XML entities and numeric references)`);
        const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
        if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            return fail(`&${body}; is not a valid character`);
        }
        return String.fromCodePoint(code);
    });
}
function lineAt(text, offset) {
    let line = 1;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1))
        line++;
    return line;
}

;// CONCATENATED MODULE: ./.build/src/test-report/junit.js
// JUnit XML test reports (`<testsuites>` / `<testsuite name tests failures errors skipped time>` /
// `<testcase>` with `<failure>`, `<error>` or `<skipped>` children), as TestReports.jl and most test
// runners write them, read into the same shape as Julia's Test Summary tables. Testcases are counted
// themselves (their suite's attributes are often inconsistent); a suite without testcases falls back to
// its attributes. Nested testsuites are joined with "/" and, as in Julia, a parent includes its children.



/** Test reports larger than this are refused rather than read into memory. */
const MAX_JUNIT_BYTES = 64 * 1024 * 1024;
class JUnitError extends Error {
    file;
    reason;
    constructor(file, reason) {
        super(`${file}: ${reason}`);
        this.file = file;
        this.reason = reason;
        this.name = "JUnitError";
    }
}
// When a testcase has several outcome elements, the worst one counts.
const OUTCOME_RANK = { passed: 0, skipped: 1, failed: 2, errored: 3 };
const OUTCOME_OF = { failure: "failed", error: "errored", skipped: "skipped" };
/** Parses a JUnit XML document; throws JUnitError naming `file` (and the line) when it is not one. */
function parseJUnitXml(xml, file = "<junit>") {
    const roots = [];
    const suites = [];
    let rootName;
    let rootAttributes = new Map();
    let testcase;
    let orphans;
    try {
        scanXml(xml, {
            open(rawName, attributes) {
                const name = localName(rawName);
                rootName ??= name;
                if (rootName === name && suites.length === 0 && name === "testsuites")
                    rootAttributes = attributes;
                if (name === "testsuite") {
                    const parent = suites[suites.length - 1];
                    const node = {
                        path: [...(parent?.path ?? []), segmentName(attributes.get("name") ?? "")],
                        attributes,
                        counts: {},
                        cases: 0,
                        children: [],
                    };
                    (parent ? parent.children : roots).push(node);
                    suites.push(node);
                }
                else if (name === "testcase") {
                    let suite = suites[suites.length - 1];
                    if (!suite) {
                        orphans ??= { path: ["(no suite)"], attributes: new Map(), counts: {}, cases: 0, children: [] };
                        suite = orphans;
                    }
                    testcase = { outcome: "passed", suite };
                }
                else if (testcase && OUTCOME_OF[name] !== undefined) {
                    const outcome = OUTCOME_OF[name];
                    if (OUTCOME_RANK[outcome] > OUTCOME_RANK[testcase.outcome])
                        testcase.outcome = outcome;
                }
            },
            close(rawName) {
                const name = localName(rawName);
                if (name === "testsuite")
                    suites.pop();
                else if (name === "testcase" && testcase) {
                    const { suite, outcome } = testcase;
                    suite.cases++;
                    suite.counts[outcome] = (suite.counts[outcome] ?? 0) + 1;
                    testcase = undefined;
                }
            },
        });
    }
    catch (error) {
        if (error instanceof XmlError)
            throw new JUnitError(file, `not well-formed XML (${error.message})`);
        throw error;
    }
    if (rootName !== "testsuites" && rootName !== "testsuite") {
        throw new JUnitError(file, `not a JUnit report: the root element is <${rootName}>, not <testsuites> or <testsuite>`);
    }
    if (orphans)
        roots.push(orphans);
    const collector = new SuiteCollector();
    for (const root of roots)
        collect(root, collector);
    const report = collector.report();
    if (roots.length === 0)
        report.totals = attributeCounts(rootAttributes);
    return report;
}
async function readJUnitXml(path, file = path) {
    const bytes = await (0,promises_namespaceObject.readFile)(path);
    if (bytes.length > MAX_JUNIT_BYTES) {
        throw new JUnitError(file, `the report is ${bytes.length} bytes, over the ${MAX_JUNIT_BYTES} byte limit`);
    }
    return parseJUnitXml(bytes.toString("utf8"), file);
}
// Depth-first, parents before children, each with its cumulative counts. Recursion is bounded by the
// tokenizer's nesting limit.
function collect(node, collector) {
    // Reserve the parent's place first so that suites come out in document order; its cumulative
    // counts are added once the children are known.
    collector.add(node.path, {});
    const counts = addCounts({}, node.counts);
    let cases = node.cases;
    for (const child of node.children) {
        const sub = collect(child, collector);
        addCounts(counts, sub.counts);
        cases += sub.cases;
    }
    const own = cases > 0 ? withTotal(counts) : attributeCounts(node.attributes);
    const time = seconds(node.attributes.get("time"));
    if (time !== undefined)
        own.duration_seconds = time;
    collector.add(node.path, own);
    const { duration_seconds: _, ...forParent } = own;
    return { counts: forParent, cases: cases > 0 ? cases : (own.total ?? 0) };
}
function withTotal(counts) {
    const total = (counts.passed ?? 0) + (counts.failed ?? 0) + (counts.errored ?? 0) + (counts.skipped ?? 0);
    return {
        passed: counts.passed ?? 0,
        failed: counts.failed ?? 0,
        errored: counts.errored ?? 0,
        skipped: counts.skipped ?? 0,
        total,
    };
}
/** A suite's own attributes, for reports that list suites without their testcases. */
function attributeCounts(attributes) {
    const tests = junit_count(attributes.get("tests"));
    const failed = junit_count(attributes.get("failures")) ?? 0;
    const errored = junit_count(attributes.get("errors")) ?? 0;
    const skipped = junit_count(attributes.get("skipped") ?? attributes.get("disabled")) ?? 0;
    if (tests === undefined)
        return {};
    return { passed: Math.max(0, tests - failed - errored - skipped), failed, errored, skipped, total: tests };
}
function junit_count(text) {
    if (text === undefined || !/^\s*\d{1,15}\s*$/.test(text))
        return undefined;
    return Number(text);
}
function seconds(text) {
    if (text === undefined)
        return undefined;
    const n = Number(text.trim().replace(/,/g, ""));
    return text.trim() !== "" && Number.isFinite(n) && n >= 0 ? roundSeconds(n) : undefined;
}
function localName(name) {
    const colon = name.indexOf(":");
    return colon === -1 ? name : name.slice(colon + 1);
}

;// CONCATENATED MODULE: ./.build/src/test-report/status.js
/**
 * "passed" only when the process exited 0 and the counts (when there are any) show no failure or error.
 * `exitCode` null means the process did not exit by itself (killed by a signal).
 */
function testStatus(exitCode, counts) {
    const failed = counts?.failed ?? 0;
    const errored = counts?.errored ?? 0;
    const bad = failed + errored;
    const tally = `${failed} failed, ${errored} errored`;
    if (exitCode === null) {
        return {
            status: "failed",
            reason: `the test process was killed before it exited${bad > 0 ? ` (${tally})` : ""}`,
        };
    }
    if (exitCode !== 0) {
        const why = bad > 0 ? tally : "although no test failed or errored: an error outside the tests, or a crash";
        return { status: "failed", reason: `the tests exited with code ${exitCode}, ${why}` };
    }
    if (bad > 0)
        return { status: "failed", reason: `${tally} (the test process exited with code 0)` };
    return { status: "passed" };
}

;// CONCATENATED MODULE: ./.build/src/test-report/index.js





;// CONCATENATED MODULE: ./.build/src/run/tests-phase.js
// The tests phase: the test command (Julia's Pkg.test with coverage by default), its Test Summary
// tables or JUnit report turned into suites and totals, and a status from exit code and counts together.







async function runTestsPhase(ctx, paths, env, commit) {
    const { settings, log } = ctx;
    if (settings.coverage.enabled && !settings.coverage.lcov) {
        // Coverage files of an earlier run would be summed into this one's.
        const removed = await cleanCoverageFiles(settings.coverage.dirs, { root: settings.root });
        if (removed.length > 0)
            log.info(`removed ${removed.length} .cov file(s) left by an earlier run`);
    }
    log.info(`tests: ${describeCommand(settings.tests.command)}`);
    const logFile = paths.log("tests");
    const result = await runCommand(settings.tests.command, {
        cwd: settings.root,
        env: { ...env, ...settings.tests.env },
        logFile,
        timeoutSeconds: settings.tests.timeoutSeconds,
    });
    if (result.startError)
        log.error(`tests: could not start the command: ${result.startError}`);
    let report;
    const notes = [];
    if (settings.tests.junit) {
        if ((0,external_node_fs_namespaceObject.existsSync)(settings.tests.junit)) {
            try {
                report = await readJUnitXml(settings.tests.junit);
            }
            catch (error) {
                notes.push(`the JUnit report could not be read: ${error.message.slice(0, 1000)}`);
            }
        }
        else
            notes.push(`the JUnit report ${settings.tests.junit} was not written`);
        for (const note of notes)
            log.warn(`tests: ${note}`);
    }
    if (!report) {
        const parsed = parseJuliaTestSummary(await (0,promises_namespaceObject.readFile)(logFile, "utf8"));
        if (parsed.tables > 0)
            report = parsed;
    }
    const status = testStatus(result.exitCode, report?.totals);
    const reason = [status.reason, ...notes].filter(Boolean).join("; ") || undefined;
    const seconds = Math.round(result.seconds);
    log.info(`tests ${status.status} in ${seconds}s${status.reason ? `: ${status.reason}` : ""}`);
    const section = {
        status: status.status,
        duration_seconds: seconds,
        log_file: RELATIVE.testsLog,
        ...(report && { suites: report.suites, totals: report.totals }),
        ...(reason && { reason }),
    };
    const summary = {
        schema_version: 1,
        commit,
        status: status.status,
        generated_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        duration_seconds: seconds,
        ...(report && { suites: report.suites, totals: report.totals }),
        ...(reason && { reason }),
    };
    await writeJsonAtomic(paths.testsSummary, summary);
    return { section, summary };
}

;// CONCATENATED MODULE: ./.build/src/run/coverage-phase.js
// Coverage after the tests: Julia .cov files (or an lcov file from any language) to lcov.info and a
// summary. A failure here is a warning and `coverage: null`, never the end of the run.





async function runCoveragePhase(ctx, paths) {
    const { settings, log } = ctx;
    const started = Date.now();
    try {
        let summary;
        if (settings.coverage.lcov) {
            summary = await summarizeLcovFile(settings.coverage.lcov);
            await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(paths.lcov), { recursive: true });
            await (0,promises_namespaceObject.copyFile)(settings.coverage.lcov, paths.lcov);
        }
        else {
            const found = await readJuliaCoverage(settings.root, settings.coverage.dirs);
            for (const w of found.warnings.slice(0, 20))
                log.warn(`coverage: ${w}`);
            if (found.files.length === 0) {
                throw new Error(`no .cov files under ${settings.coverage.dirs.join(", ")}: did the tests run with coverage=true?`);
            }
            await writeFileAtomic(paths.lcov, toLcov(found.files));
            summary = summarize(found.files);
        }
        for (const w of summary.warnings.slice(0, 20))
            log.warn(`coverage: ${w}`);
        const section = {
            flag: settings.coverage.flag,
            coverage_percent: Math.round(summary.percent * 100) / 100,
            total_lines: summary.totalLines,
            covered_lines: summary.coveredLines,
            report_file: RELATIVE.lcov,
            summary_file: RELATIVE.coverageSummary,
        };
        await writeJsonAtomic(paths.coverageSummary, {
            total_lines: section.total_lines,
            covered_lines: section.covered_lines,
            coverage_percent: section.coverage_percent,
        });
        log.info(`coverage ${section.coverage_percent}% (${summary.coveredLines} of ${summary.totalLines} lines) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return section;
    }
    catch (error) {
        // Never leave a report from an earlier run that could be taken for this one's.
        await (0,promises_namespaceObject.rm)(paths.lcov, { force: true });
        await (0,promises_namespaceObject.rm)(paths.coverageSummary, { force: true });
        log.warn(`coverage could not be measured (${error instanceof Error ? error.message : String(error)}); recording coverage: null`);
        return null;
    }
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/entry.js



const MAX_PROBLEMS = 20;
/** Collects results by name and the problems found on the way; `finish()` throws when there were any. */
class ResultCollector {
    file;
    results = new Map();
    problems = [];
    notes = [];
    constructor(file) {
        this.file = file;
    }
    problem(pointer, reason) {
        if (this.problems.length < MAX_PROBLEMS)
            this.problems.push({ file: this.file, pointer, reason });
    }
    note(pointer, message) {
        if (this.notes.length < MAX_PROBLEMS)
            this.notes.push(`${this.file}${pointer ? ` at ${pointer}` : ""}: ${message}`);
    }
    add(path, entry, pointer) {
        const name = pathKey(path);
        const earlier = this.results.get(name);
        if (earlier) {
            this.problem(pointer, `a second benchmark named "${name}" (the first is at ${earlier.pointer || "the root"})`);
            return;
        }
        // Held to the contract's bounds here, where the reader can say which result: a time of 1e300 ns would
        // otherwise only fail the whole run when its document is checked before writing.
        const bounds = boundsProblem(entry);
        if (bounds) {
            this.problem(pointer, bounds);
            return;
        }
        this.results.set(name, { entry, pointer });
    }
    /**
     * A sink for a document embedded as a string at `pointer` (a pointer cannot reach into a string):
     * problems are reported at `pointer`, saying where inside the embedded document they are.
     */
    embedded(pointer, what) {
        return {
            problem: (inner, reason) => this.problem(pointer, `${what}, at ${inner || "its root"}: ${reason}`),
            note: (inner, message) => this.note(pointer, `${what}, at ${inner || "its root"}: ${message}`),
            add: (path, entry, inner) => this.add(path, entry, `${pointer} (${what}, at ${inner})`),
        };
    }
    /** The results sorted by name, as a plain object. */
    finish() {
        if (this.problems.length > 0)
            throw new InvalidDocumentError(this.problems);
        const names = [...this.results.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return Object.fromEntries(names.map((name) => [name, this.results.get(name).entry]));
    }
}
const ANY_COMMIT = "0".repeat(40);
/** Why `entry` is outside the contract's bounds (a time over 10 years, a value past 1e15), or undefined. */
function boundsProblem(entry) {
    const doc = { schema_version: 1, commit: ANY_COMMIT, benchmarks: { entry } };
    const [first] = checkDocument("benchmarks-summary", doc, "");
    return first && `${first.pointer.replace(/^\/benchmarks\/entry\/?/, "")} ${first.reason}`.trim();
}
function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** A count (bytes, allocations): a non-negative integer that JSON carries exactly. */
function isCount(value) {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
function isDuration(value) {
    return typeof value === "number" && Number.isFinite(value) && value >= 0;
}
function describeValue(value) {
    if (value === null)
        return "null";
    if (Array.isArray(value))
        return "an array";
    if (typeof value === "string")
        return value.length > 40 ? "a string" : JSON.stringify(value);
    if (typeof value === "object")
        return "an object";
    return String(value);
}
/** A unit of a rate ("MB/s", "ops/sec", "Hz"): which way is better is not known from the unit alone. */
function isRate(unit) {
    return /\/\s*(?:s|sec|second)$|per\s+second|ops|hz$/i.test(unit.trim());
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/statistics.js
/** Julia's timers (BenchmarkTools, Base.gc_num) count nanoseconds; the contract's times are in ms. */
const NS_PER_MS = 1e6;
function median(values) {
    const sorted = values.slice().sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1
        ? sorted[mid]
        : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** The time statistics of `samples` (non-empty, in any unit) in milliseconds, `perMs` units a ms. */
function timeStatistics(samples, perMs) {
    const n = samples.length;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    let sum = 0;
    for (const t of samples) {
        if (t < min)
            min = t;
        if (t > max)
            max = t;
        sum += t;
    }
    const mean = sum / n;
    const entry = {
        median_ms: median(samples) / perMs,
        mean_ms: mean / perMs,
        min_ms: min / perMs,
        max_ms: max / perMs,
        samples: n,
    };
    if (n > 1) {
        const squares = samples.reduce((acc, t) => acc + (t - mean) ** 2, 0);
        entry.std_ms = Math.sqrt(squares / (n - 1)) / perMs;
    }
    return entry;
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/benchmarktools.js
// BenchmarkTools.jl's `save()` JSON (src/serialization.jl): `[versions, values]`, where versions is
// `{"Julia": "1.10.10", "BenchmarkTools": "1.5.0", ...}` and each value is `[typename, fields]`, the
// fields of the struct by name (JSON.lower). A BenchmarkGroup is `["BenchmarkGroup", {"data": {...},
// "tags": [...]}]`; its keys are written with `print`, so non-string keys arrive as their printed form
// (`1`, `(1, "a")`, a Symbol without its colon) and are kept as such. Leaves are a Trial (every sample:
// `times` and `gctimes` in ns, `memory` in bytes, `allocs`) or a TrialEstimate (one `time` in ns, the
// estimate the user took: median, minimum, ...). NaN and Inf are written as null by JSON.jl.
//
// PkgBenchmark.jl's `writeresults` wraps such a document as a JSON *string*:
// `{"name", "commit", "benchmarkgroup": "<BenchmarkTools JSON>", "date", "julia_commit", "vinfo",
// "benchmarkconfig"}`.



const MAX_GROUP_DEPTH = 64;
// Values a results file may carry besides results (tuning parameters, filters): not benchmarks.
const NOT_RESULTS = new Set(["Parameters", "TagFilter"]);
const COMPARISONS = new Set(["TrialJudgement", "TrialRatio"]);
/** Whether `doc` has the shape of a BenchmarkTools save() file. */
function isBenchmarkToolsDocument(doc) {
    return (Array.isArray(doc) &&
        doc.length === 2 &&
        isRecord(doc[0]) &&
        ("BenchmarkTools" in doc[0] || "Julia" in doc[0]) &&
        Array.isArray(doc[1]));
}
/**
 * Reads the results of a BenchmarkTools document into `collector`. Groups nest with "/"; a Trial or
 * TrialEstimate saved outside any group is named `leafName` (with its position when there are several).
 */
function readBenchmarkTools(doc, collector, leafName) {
    const [versions, values] = doc;
    const leaves = values.filter((v) => Array.isArray(v) && (v[0] === "Trial" || v[0] === "TrialEstimate")).length;
    const stack = [];
    values.forEach((value, i) => {
        const path = leaves > 1 ? [leafName, String(i + 1)] : [leafName];
        stack.push({ value, path, pointer: `/1/${i}`, top: true });
    });
    stack.reverse();
    while (stack.length > 0) {
        const { value, path, pointer, top } = stack.pop();
        if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" || !isRecord(value[1])) {
            collector.problem(pointer, `expected a BenchmarkTools value ["<type>", {fields}], found ${describeValue(value)}`);
            continue;
        }
        const type = value[0].replace(/^BenchmarkTools\./, "");
        const fields = value[1];
        if (type === "BenchmarkGroup") {
            const data = fields.data;
            if (!isRecord(data)) {
                collector.problem(`${pointer}/1/data`, `a BenchmarkGroup needs a "data" object, found ${describeValue(data)}`);
                continue;
            }
            // Keys of a top-level group start the names; the file's own name is only for loose leaves.
            const prefix = top ? [] : path;
            if (prefix.length >= MAX_GROUP_DEPTH) {
                collector.problem(pointer, `benchmark groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
                continue;
            }
            const children = Object.entries(data).map(([key, child]) => ({
                value: child,
                path: [...prefix, key],
                pointer: `${pointer}/1/data/${escapePointerToken(key)}`,
                top: false,
            }));
            stack.push(...children.reverse());
        }
        else if (type === "Trial" || type === "TrialEstimate") {
            const entry = type === "Trial" ? trial(fields, pointer, collector) : estimate(fields, pointer, collector);
            if (entry)
                collector.add(path, entry, pointer);
        }
        else if (COMPARISONS.has(type)) {
            collector.problem(pointer, `a ${type} compares two runs; save the results of run() (or their median) instead`);
        }
        else if (!NOT_RESULTS.has(type)) {
            collector.problem(`${pointer}/0`, `unknown BenchmarkTools type "${type}"`);
        }
    }
    const out = {};
    if (typeof versions.Julia === "string")
        out.julia_version = versions.Julia;
    if (typeof versions.BenchmarkTools === "string")
        out.benchmarktools_version = versions.BenchmarkTools;
    return out;
}
function trial(fields, pointer, collector) {
    const times = fields.times;
    if (!Array.isArray(times) || times.length === 0) {
        collector.problem(`${pointer}/1/times`, `a Trial needs its samples in "times" (ns), found ${describeValue(times)}`);
        return undefined;
    }
    const bad = times.findIndex((t) => !isDuration(t));
    if (bad !== -1) {
        collector.problem(`${pointer}/1/times/${bad}`, `a sample time must be a non-negative number of ns, found ${describeValue(times[bad])}`);
        return undefined;
    }
    const entry = timeStatistics(times, NS_PER_MS);
    // GC time as BenchmarkTools' median(trial) gives it: the median of the samples' GC times.
    const gctimes = fields.gctimes;
    if (Array.isArray(gctimes) && gctimes.length > 0 && gctimes.every(isDuration)) {
        entry.gc_ms = median(gctimes) / NS_PER_MS;
    }
    return withMemory(entry, fields, pointer, collector);
}
// A TrialEstimate holds one estimate of the time and BenchmarkTools does not record which one; it is
// what the user chose to save (median() in BenchmarkTools' and PkgBenchmark's examples), so it is
// reported, and compared, as the median.
function estimate(fields, pointer, collector) {
    if (!isDuration(fields.time)) {
        collector.problem(`${pointer}/1/time`, `a TrialEstimate's "time" must be a non-negative number of ns, found ${describeValue(fields.time)}`);
        return undefined;
    }
    const entry = { median_ms: fields.time / NS_PER_MS };
    if (isDuration(fields.gctime))
        entry.gc_ms = fields.gctime / NS_PER_MS;
    return withMemory(entry, fields, pointer, collector);
}
function withMemory(entry, fields, pointer, collector) {
    for (const [field, key] of [
        ["memory", "memory_bytes"],
        ["allocs", "allocs"],
    ]) {
        const value = fields[field];
        if (value === undefined)
            continue;
        if (!isCount(value)) {
            collector.problem(`${pointer}/1/${field}`, `"${field}" must be a non-negative integer, found ${describeValue(value)}`);
            return undefined;
        }
        entry[key] = value;
    }
    return entry;
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/generic-list.js
// The generic list of github-action-benchmark's `customSmallerIsBetter` and `customBiggerIsBetter`
// tools: `[{"name": "solve/3d", "unit": "ms", "value": 12.5, "range"?: "± 0.3", "extra"?: "..."}]`.
// The file is the same for both; which way is better is the tool's, given by the user (the action's
// `tool` input, our `benchmarks.results` entry's `tool`), smaller by default.
// Smaller is better: times (ns, us/µs, ms, s, min, h, optionally per iteration: "ns/iter", "ns/op") are
// converted to milliseconds into median_ms, the one number the format gives; anything else keeps its
// unit and its number in `value` (see entry.ts), since putting bytes in a *_ms field would make every
// comparison and chart wrong. Bigger is better: every entry is a `value` with its unit, even a time.

const MS_PER = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3, // U+00B5 micro sign
    μs: 1e-3, // U+03BC Greek mu
    ms: 1,
    s: 1e3,
    sec: 1e3,
    secs: 1e3,
    second: 1e3,
    seconds: 1e3,
    min: 6e4,
    mins: 6e4,
    minute: 6e4,
    minutes: 6e4,
    h: 3.6e6,
    hour: 3.6e6,
    hours: 3.6e6,
};
const PER_ITERATION = /\/(?:iter|iteration|op|call|run)$/;
/** Milliseconds per one `unit`, or undefined when the unit is not a time. */
function msPerUnit(unit) {
    const base = unit.trim().replace(PER_ITERATION, "");
    return Object.hasOwn(MS_PER, base) ? MS_PER[base] : undefined;
}
/** Whether `doc` looks like the generic list: an array whose entries are objects with a "name". */
function isGenericList(doc) {
    return Array.isArray(doc) && (doc.length === 0 || (isRecord(doc[0]) && "name" in doc[0]));
}
const LIST_TOOLS = (/* unused pure expression or super */ null && (["customSmallerIsBetter", "customBiggerIsBetter"]));
function readGenericList(doc, collector, tool = "customSmallerIsBetter") {
    const bigger = tool === "customBiggerIsBetter";
    doc.forEach((item, i) => {
        const pointer = `/${i}`;
        if (!isRecord(item)) {
            collector.problem(pointer, `expected {"name", "unit", "value"}, found ${describeValue(item)}`);
            return;
        }
        const { name, unit, value } = item;
        if (typeof name !== "string" || name.trim() === "") {
            collector.problem(`${pointer}/name`, `"name" must be a non-empty string, found ${describeValue(name)}`);
            return;
        }
        if (typeof unit !== "string" || unit.trim() === "") {
            collector.problem(`${pointer}/unit`, `"unit" must be a non-empty string, found ${describeValue(unit)}`);
            return;
        }
        if (typeof value !== "number" || !Number.isFinite(value)) {
            collector.problem(`${pointer}/value`, `"value" must be a finite number, found ${describeValue(value)}`);
            return;
        }
        const factor = bigger ? undefined : msPerUnit(unit);
        let entry;
        if (factor === undefined)
            entry = { unit: unit.trim(), value, direction: bigger ? "bigger_is_better" : "smaller_is_better" };
        else if (value < 0) {
            collector.problem(`${pointer}/value`, `a time cannot be negative (${value} ${unit})`);
            return;
        }
        else if (!Number.isFinite(value * factor)) {
            collector.problem(`${pointer}/value`, `${value} ${unit} is too large to be a time in milliseconds`);
            return;
        }
        else
            entry = { median_ms: value * factor };
        collector.add([name], entry, pointer);
    });
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/mycelia.js
// Mycelia's benchmark files (benchmarking/benchmark_utils.jl and the scripts in benchmarking/),
// written by JSON.jl's `JSON.print(f, dict, 2)`:
// - `save_benchmark_results`: `{"suite_name", "metadata": {"cpu_info": {"model", ...}, "julia_version",
//   "memory_total", "timestamp"}, "results": {name: stats}}` as `results/<suite>_benchmark_<stamp>.json`;
// - the scripts' "enhanced"/"comprehensive" file: `{"benchmark_name", "timestamp", "configuration",
//   "system_info": {"julia_version", "cpu_threads", "total_memory", "hostname", "platform"},
//   "performance_summary" | "performance_metrics": {...}, "resource_utilization", "detailed_results":
//   {name: stats}}` as `results/<suite>_enhanced_<stamp>.json` (or `_comprehensive_`).
// stats, from `add_benchmark_result!`: BenchmarkTools' median/mean/min/max/std of the Trial as
// `median_time` ... `std_time` (ns, Float64), `memory` (bytes) and `allocations` of the median, and
// `memory_stats` from `run_benchmark_with_memory`: `gc_time` in SECONDS (Base.gc_num's total_time / 1e9,
// over tuning, every sample and the GC.gc() forced after them), `gc_count`, and `allocations`, which is
// gc_num's `allocd` difference (bytes, not a count: left out). Scaling results carry only
// median_time, memory and allocations. `add_profiled_result!` stores one timed run instead:
// `wall_time_seconds`, `allocated_bytes`, `gc_time_seconds`. JSON.jl 0.21 writes NaN (std of one sample)
// as null and a VersionNumber as {"major", "minor", "patch", "prerelease", "build"}; JSON.jl 1.x writes
// the version as a string. Both are read.




const TIME_FIELDS = [
    ["median_time", "median_ms"],
    ["mean_time", "mean_ms"],
    ["min_time", "min_ms"],
    ["max_time", "max_ms"],
    ["std_time", "std_ms"],
];
const METRIC_SECTIONS = ["performance_summary", "performance_metrics"];
// `<stem>_<yyyy-mm-dd_HH-MM-SS>.json`, the stem ending in what the file is.
const STAMPED = /^(.+?)(?:_(?:benchmark|enhanced|comprehensive|results))?_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/i;
const STATISTIC_KEYS = [...TIME_FIELDS.map(([field]) => field), "wall_time_seconds"];
/**
 * Whether `doc` is a Mycelia benchmark file: an object whose results or detailed_results holds an
 * object with a time statistic, or save_benchmark_results' file of a suite that measured nothing.
 * Other JSON with a "results" key (a tutorial's output in the same folder) is not taken for one.
 */
function isMyceliaDocument(doc) {
    if (!isRecord(doc))
        return false;
    const results = isRecord(doc.detailed_results) ? doc.detailed_results : doc.results;
    if (!isRecord(results))
        return false;
    const values = Object.values(results);
    if (values.length === 0)
        return typeof doc.suite_name === "string" || typeof doc.benchmark_name === "string";
    return values.some((v) => isRecord(v) && STATISTIC_KEYS.some((k) => k in v));
}
/**
 * The suite a file's benchmarks are named under. Both files of one script run must agree, so that a
 * benchmark in both is one benchmark: the enhanced file's benchmark_name ("data_processing"), else
 * the file name's stem ("data_processing_benchmark_2026-06-22_10-52-46.json" -> "data_processing"),
 * else suite_name ("Data Processing Performance"), else the file name.
 */
function myceliaSuite(doc, file) {
    const name = (0,external_node_path_namespaceObject.basename)(file);
    const named = (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
    return (named(doc.benchmark_name) ??
        STAMPED.exec(name)?.[1] ??
        named(doc.suite_name) ??
        (name.replace(/\.json$/i, "") || "benchmark"));
}
function readMycelia(doc, sink, file) {
    const suite = myceliaSuite(doc, file);
    const key = isRecord(doc.detailed_results) ? "detailed_results" : "results";
    const results = doc[key];
    for (const [name, stats] of Object.entries(results)) {
        const pointer = `/${key}/${escapePointerToken(name)}`;
        if (!isRecord(stats)) {
            sink.problem(pointer, `expected the benchmark's statistics object, found ${describeValue(stats)}`);
            continue;
        }
        const entry = readStats(stats, pointer, sink);
        if (entry === null)
            continue;
        if (entry === undefined)
            sink.note(pointer, `"${name}" has no time statistics; left out`);
        else
            sink.add([suite, name], entry, pointer);
    }
    for (const section of METRIC_SECTIONS) {
        if (isRecord(doc[section]))
            readRates(doc[section], [suite], `/${section}`, sink);
    }
    return environment(doc);
}
/** The statistics of one benchmark; undefined when it has none, null when something was wrong. */
function readStats(stats, pointer, sink) {
    const entry = {};
    let ok = true;
    const number = (field, value, where = `${pointer}/${field}`) => {
        if (value === undefined || value === null)
            return undefined; // JSON.jl writes NaN as null
        if (typeof value === "number" && Number.isFinite(value) && value >= 0)
            return value;
        sink.problem(where, `"${field}" must be a non-negative number, found ${describeValue(value)}`);
        ok = false;
        return undefined;
    };
    for (const [field, ours] of TIME_FIELDS) {
        const ns = number(field, stats[field]);
        if (ns !== undefined)
            entry[ours] = ns / NS_PER_MS;
    }
    const wall = number("wall_time_seconds", stats.wall_time_seconds);
    if (wall !== undefined && entry.median_ms === undefined) {
        // One timed run (add_profiled_result!): every statistic is that run.
        const ms = wall * 1000;
        Object.assign(entry, { median_ms: ms, mean_ms: ms, min_ms: ms, max_ms: ms, samples: 1 });
    }
    const memory = number("memory", stats.memory) ?? number("allocated_bytes", stats.allocated_bytes);
    if (memory !== undefined)
        entry.memory_bytes = Math.round(memory);
    const allocs = number("allocations", stats.allocations);
    if (allocs !== undefined)
        entry.allocs = Math.round(allocs);
    const memoryStats = stats.memory_stats;
    const gcSeconds = isRecord(memoryStats)
        ? number("gc_time", memoryStats.gc_time, `${pointer}/memory_stats/gc_time`)
        : number("gc_time_seconds", stats.gc_time_seconds);
    if (gcSeconds !== undefined)
        entry.gc_ms = gcSeconds * 1000;
    if (!ok)
        return null;
    return entry.median_ms === undefined && entry.mean_ms === undefined ? undefined : entry;
}
/**
 * Rates in performance_summary / performance_metrics, the one kind of number there that measures
 * this code rather than describing the run (file counts, sizes, total duration, scores): a key that
 * names its rate (`throughput_mbps`, `..._per_second`, `..._per_minute`) becomes a bigger-is-better
 * result `<suite>/<key>`; an object of them (`k_mer_throughput_per_second: {"11": ...}`) gives
 * `<suite>/<key>/<sub>`.
 */
function readRates(section, path, pointer, sink) {
    for (const [key, value] of Object.entries(section)) {
        const unit = rateUnit(key);
        if (unit === undefined)
            continue;
        const where = `${pointer}/${escapePointerToken(key)}`;
        const items = isRecord(value) ? Object.entries(value) : [[undefined, value]];
        for (const [sub, v] of items) {
            if (v === null)
                continue;
            const at = sub === undefined ? where : `${where}/${escapePointerToken(sub)}`;
            if (typeof v !== "number" || !Number.isFinite(v)) {
                sink.problem(at, `a rate must be a finite number, found ${describeValue(v)}`);
                continue;
            }
            const names = sub === undefined ? [...path, key] : [...path, key, sub];
            sink.add(names, { value: v, unit, direction: "bigger_is_better" }, at);
        }
    }
}
/** The unit a key names: `throughput_mbps` -> MB/s, `assembly_throughput_reads_per_minute` -> reads/min. */
function rateUnit(key) {
    const k = key.toLowerCase();
    if (/(?:^|_)mbps$/.test(k))
        return "MB/s"; // Mycelia: (bytes / 1e6) / seconds
    if (/(?:^|_)gbps$/.test(k))
        return "GB/s";
    const m = /^(.*?)_?per_(second|sec|minute|min|hour)$/.exec(k);
    if (!m)
        return undefined;
    const per = { second: "s", sec: "s", minute: "min", min: "min", hour: "h" }[m[2]];
    const [before, after] = (m[1] ?? "").split(/_?throughput_?/);
    const what = after || before || "1";
    return `${what}/${per}`;
}
function environment(doc) {
    const env = {};
    const meta = isRecord(doc.metadata) ? doc.metadata : {};
    const system = isRecord(doc.system_info) ? doc.system_info : {};
    const cpu = isRecord(meta.cpu_info) ? meta.cpu_info.model : undefined;
    if (typeof cpu === "string" && cpu.trim() && cpu.trim() !== "unknown")
        env.cpu_model = cpu.trim();
    const julia = versionText(system.julia_version) ?? versionText(meta.julia_version);
    if (julia)
        env.julia_version = julia;
    if (typeof system.platform === "string") {
        // Sys.MACHINE: "x86_64-linux-gnu", "aarch64-apple-darwin23.0.0"; os named as Node's process.platform.
        const arch = system.platform.split("-")[0];
        if (arch)
            env.arch = arch;
        const os = /(linux|darwin|freebsd|openbsd|mingw|windows)/.exec(system.platform)?.[1];
        if (os)
            env.os = os === "mingw" || os === "windows" ? "win32" : os;
    }
    if (typeof system.hostname === "string" && system.hostname.trim())
        env.node = system.hostname.trim();
    return env;
}
/** A Julia VersionNumber as JSON.jl 1.x ("1.10.10") or 0.21 ({"major": 1, ...}) writes it. */
function versionText(value) {
    if (typeof value === "string")
        return value.trim().replace(/^v/, "") || undefined;
    if (!isRecord(value))
        return undefined;
    const { major, minor, patch, prerelease, build } = value;
    if (![major, minor, patch].every((n) => typeof n === "number" && Number.isInteger(n)))
        return undefined;
    const parts = (v) => (Array.isArray(v) && v.length > 0 ? v.join(".") : "");
    const pre = parts(prerelease);
    const plus = parts(build);
    return `${major}.${minor}.${patch}${pre ? `-${pre}` : ""}${plus ? `+${plus}` : ""}`;
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/read.js
// Benchmark result files, told apart by shape: BenchmarkTools save() JSON, PkgBenchmark writeresults
// JSON, Mycelia's files, or the generic list. Everything wrong in a file is reported at once, each with
// the file and a JSON pointer, and a file with anything wrong gives no results (never half a file).







/** Trials keep every sample, so real files are large; this bounds what is read into memory. */
const MAX_BENCHMARK_BYTES = 256 * 1024 * 1024;
const FORMATS_EXPECTED = 'not a benchmark results file: expected BenchmarkTools save() JSON ([{"Julia": ..., "BenchmarkTools": ...}, [values]]), ' +
    'PkgBenchmark writeresults JSON ({"benchmarkgroup": "...", "commit": ...}), Mycelia\'s save_benchmark_results JSON ' +
    '({"results": {...}} or {"detailed_results": {...}}) or a list of {"name", "unit", "value"}';
/** Valid JSON in none of the formats: a file found in a folder may be some other program's. */
class UnknownFormatError extends InvalidDocumentError {
    name = "UnknownFormatError";
}
/** Parses the text of a results file named `file` (used in errors, and to name loose Trials). */
function parseBenchmarks(text, file, options = {}) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new InvalidDocumentError([
            { file, pointer: "", reason: `not valid JSON (${message.slice(0, 200)})` },
        ]);
    }
    return benchmarksFromJson(doc, file, options);
}
/** Reads the results in an already parsed document. */
function benchmarksFromJson(doc, file, options = {}) {
    const collector = new ResultCollector(file);
    const leafName = (0,external_node_path_namespaceObject.basename)(file).replace(/\.json$/i, "") || "benchmark";
    const done = (format, meta) => ({
        format,
        results: collector.finish(),
        meta,
        notes: collector.notes,
    });
    if (isBenchmarkToolsDocument(doc))
        return done("benchmarktools", readBenchmarkTools(doc, collector, leafName));
    if (isRecord(doc) && "benchmarkgroup" in doc)
        return done("pkgbenchmark", readPkgBenchmark(doc, collector, leafName));
    if (isMyceliaDocument(doc))
        return done("mycelia", readMycelia(doc, collector, file));
    if (isGenericList(doc)) {
        readGenericList(doc, collector, options.tool);
        return done("list", {});
    }
    throw new UnknownFormatError([
        { file, pointer: "", reason: `${FORMATS_EXPECTED}; found ${describeValue(doc)}` },
    ]);
}
/** Reads a results file from disk, refusing files over MAX_BENCHMARK_BYTES. */
async function readBenchmarks(path, file = path, options = {}) {
    const handle = await (0,promises_namespaceObject.open)(path, "r");
    try {
        const { size } = await handle.stat();
        if (size > MAX_BENCHMARK_BYTES) {
            throw new InvalidDocumentError([
                {
                    file,
                    pointer: "",
                    reason: `the file is ${size} bytes, over the ${MAX_BENCHMARK_BYTES} byte limit`,
                },
            ]);
        }
        return parseBenchmarks((await handle.readFile()).toString("utf8"), file, options);
    }
    finally {
        await handle.close();
    }
}
/** Only the results of a file (see readBenchmarks). */
async function readBenchmarkResults(path, file = path) {
    return (await readBenchmarks(path, file)).results;
}
function readPkgBenchmark(doc, collector, leafName) {
    const meta = {};
    for (const key of ["name", "commit", "julia_commit", "date"]) {
        if (typeof doc[key] === "string")
            meta[key] = doc[key];
    }
    if (typeof doc.vinfo === "string")
        Object.assign(meta, versionInfoEnvironment(doc.vinfo));
    // BenchmarkConfig's env, as PkgBenchmark ran Julia with it: {"JULIA_NUM_THREADS": 4}.
    const config = isRecord(doc.benchmarkconfig) ? doc.benchmarkconfig : {};
    const threads = Number(isRecord(config.env) ? config.env.JULIA_NUM_THREADS : undefined);
    if (meta.threads === undefined && Number.isInteger(threads) && threads > 0)
        meta.threads = threads;
    // writeresults stores the group as the text of a BenchmarkTools file; accept it parsed as well.
    let inner = doc.benchmarkgroup;
    if (typeof inner === "string") {
        try {
            inner = JSON.parse(inner);
        }
        catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            collector.problem("/benchmarkgroup", `the embedded BenchmarkTools JSON is not valid JSON (${message.slice(0, 200)})`);
            return meta;
        }
    }
    if (!isBenchmarkToolsDocument(inner)) {
        collector.problem("/benchmarkgroup", `expected BenchmarkTools save() JSON, found ${describeValue(inner)}`);
        return meta;
    }
    const sink = collector.embedded("/benchmarkgroup", "in the embedded BenchmarkTools JSON");
    return { ...readBenchmarkTools(inner, sink, meta.name ?? leafName), ...meta };
}
/**
 * The CPU and threads in Julia's versioninfo() text (PkgBenchmark's vinfo): "  CPU: 16 × AMD EPYC
 * 7763 64-Core Processor" (older: "  CPU: Intel(R) ..."), "  Threads: 4 default, 0 interactive, ..."
 * (older: "  Threads: 4 on 16 virtual cores").
 */
function versionInfoEnvironment(vinfo) {
    const env = {};
    const cpu = /^\s*CPU:\s*(?:\d+\s*×\s*)?(.+?)\s*$/m.exec(vinfo)?.[1];
    if (cpu)
        env.cpu_model = cpu.slice(0, 200);
    const threads = /^\s*Threads:\s*(\d+)/m.exec(vinfo)?.[1];
    if (threads && Number(threads) > 0)
        env.threads = Number(threads);
    return env;
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/collect.js
// This run's benchmark results, from what `benchmarks.results` names: files, folders (their `*.json`),
// globs (`*`, `?`, `**`), or a list of them. Only files the benchmark commands wrote count: a file that
// was there before the commands ran and did not change since (or, without that snapshot, whose mtime is
// older than the commands' start less CLOCK_SLACK_MS) is left alone and named in a note. The user's
// files are never deleted or rewritten. A bad file is a problem with its file, pointer and reason;
// the good files' results are kept. A benchmark in two files (Mycelia writes its results twice) is
// kept once: the copy with more samples, then with more statistics, then the first file's by name.






/** How much older than the commands' start a file may look and still count (clocks of shared filesystems). */
const CLOCK_SLACK_MS = 2000;
const MAX_FILES = 1000;
const MAX_NOTES = 50;
/** The candidate files of `sources` as they are now; take it before the commands run. */
async function snapshotBenchmarkFiles(sources, cwd) {
    const snapshot = new Map();
    for (const candidate of expand(sources, cwd).candidates) {
        const info = await (0,promises_namespaceObject.stat)(candidate.path).catch(() => undefined);
        if (info?.isFile())
            snapshot.set(candidate.path, `${info.mtimeMs}:${info.size}`);
    }
    return snapshot;
}
async function collectBenchmarkResults(sources, since, cwd) {
    const out = {
        results: {},
        files: [],
        notes: [],
        ignored: [],
        problems: [],
        environment: {},
    };
    const note = (line) => {
        if (out.notes.length < MAX_NOTES)
            out.notes.push(line);
    };
    const shown = (path) => {
        const rel = (0,external_node_path_namespaceObject.relative)(cwd, path);
        return rel && !rel.startsWith("..") && !(0,external_node_path_namespaceObject.isAbsolute)(rel) ? rel : path;
    };
    const { candidates, notes } = expand(sources, cwd);
    notes.forEach(note);
    const kept = new Keeper();
    for (const candidate of candidates) {
        const file = shown(candidate.path);
        const info = await (0,promises_namespaceObject.stat)(candidate.path).catch((error) => error);
        if (info instanceof Error) {
            if (info.code !== "ENOENT")
                out.problems.push(unreadable(file, info));
            else if (!candidate.found)
                note(`${file}: not written by the benchmark commands`);
            continue;
        }
        if (!info.isFile())
            continue;
        const old = since.before
            ? since.before.get(candidate.path) === `${info.mtimeMs}:${info.size}`
            : info.mtimeMs < since.startedAt.getTime() - CLOCK_SLACK_MS;
        if (old) {
            out.ignored.push(file);
            const why = since.before ? "unchanged since before the benchmark commands ran" : "older than this run";
            note(`${file}: ignored, ${why} (written ${info.mtime.toISOString()})`);
            continue;
        }
        let read;
        try {
            read = await readBenchmarks(candidate.path, file, { tool: candidate.tool });
        }
        catch (error) {
            if (error instanceof UnknownFormatError && candidate.found) {
                out.ignored.push(file);
                note(`${file}: not a benchmark results file; skipped`);
            }
            else if (error instanceof InvalidDocumentError)
                out.problems.push(...error.errors);
            else
                out.problems.push(unreadable(file, error));
            continue;
        }
        out.files.push(file);
        read.notes.forEach(note);
        for (const key of ENVIRONMENT_KEYS) {
            if (out.environment[key] === undefined && read.meta[key] !== undefined)
                Object.assign(out.environment, { [key]: read.meta[key] });
        }
        for (const [name, entry] of Object.entries(read.results))
            kept.offer(name, entry, file);
    }
    kept.notes().forEach(note);
    out.results = kept.results();
    return out;
}
function unreadable(file, error) {
    return { file, pointer: "", reason: `cannot be read (${error.code ?? error.message})` };
}
/** One copy of each benchmark: the first seen, unless a later copy ranks higher; tallies the rest. */
class Keeper {
    kept = new Map();
    merged = new Map();
    offer(name, entry, file) {
        const earlier = this.kept.get(name);
        if (earlier === undefined) {
            this.kept.set(name, { entry, file });
            return;
        }
        const pair = `${earlier.file}\0${file}`;
        const tally = this.merged.get(pair) ?? { count: 0, differing: 0 };
        tally.count += 1;
        if (!sameStatistics(earlier.entry, entry))
            tally.differing += 1;
        this.merged.set(pair, tally);
        if (rank(entry) > rank(earlier.entry))
            this.kept.set(name, { entry, file });
    }
    notes() {
        return [...this.merged].map(([pair, { count, differing }]) => {
            const [first, second] = pair.split("\0");
            const how = differing > 0
                ? ` (${differing} with different statistics: kept the copy with more samples, then more statistics, then ${first}'s)`
                : " (the same statistics)";
            return `${second}: ${count} benchmark${count === 1 ? "" : "s"} also in ${first}, each kept once${how}`;
        });
    }
    /** The kept results, sorted by name. */
    results() {
        const names = [...this.kept.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return Object.fromEntries(names.map((n) => [n, this.kept.get(n).entry]));
    }
}
const ENVIRONMENT_KEYS = [
    "cpu_model",
    "julia_version",
    "os",
    "arch",
    "node",
    "threads",
];
const STATISTICS = [
    "median_ms",
    "mean_ms",
    "min_ms",
    "max_ms",
    "std_ms",
    "gc_ms",
    "memory_bytes",
    "allocs",
    "value",
];
function rank(entry) {
    const fields = STATISTICS.filter((k) => entry[k] !== undefined).length;
    return (entry.samples ?? 0) * 100 + fields;
}
function sameStatistics(a, b) {
    return [...STATISTICS, "samples", "unit"].every((k) => a[k] === b[k]);
}
/** The candidate files of every source, each once (the first source's tool wins), in order. */
function expand(sources, cwd) {
    const candidates = new Map();
    const notes = [];
    const add = (path, tool, found) => {
        if (!candidates.has(path) && candidates.size < MAX_FILES)
            candidates.set(path, { path, tool, found });
    };
    for (const { path, tool } of sources) {
        const folder = path.endsWith("/") || isFolder((0,external_node_path_namespaceObject.resolve)(cwd, path));
        if (hasWildcard(path) || folder) {
            const pattern = hasWildcard(path) ? path : (0,external_node_path_namespaceObject.join)(path, "*.json");
            const matched = glob(pattern, cwd);
            if (matched.truncated)
                notes.push(`${path}: the search stopped after too many entries; narrow the pattern`);
            for (const file of matched.files)
                add(file, tool, true);
        }
        else
            add((0,external_node_path_namespaceObject.resolve)(cwd, path), tool, false);
    }
    if (candidates.size >= MAX_FILES)
        notes.push(`only the first ${MAX_FILES} result files are read`);
    return { candidates: [...candidates.values()], notes };
}

;// CONCATENATED MODULE: ./.build/src/benchmarks/index.js






;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./.build/src/provenance/machine.js
// The machine a run ran on, for telling benchmark environments apart: the CPU model (/proc/cpuinfo,
// else what Node reads), the threads the benchmarks get (JULIA_NUM_THREADS, else the Slurm task's
// CPUs), the OS and the architecture (uname's names: x86_64, aarch64, ppc64le).


const defaults = {
    cpuinfo: () => (0,external_node_fs_namespaceObject.readFileSync)("/proc/cpuinfo", "utf8"),
    cpuModels: () => external_node_os_namespaceObject.cpus().map((c) => c.model),
    // availableParallelism (Node 18.14+) honours the CPU affinity a scheduler sets.
    parallelism: () => typeof external_node_os_namespaceObject.availableParallelism === "function" ? external_node_os_namespaceObject.availableParallelism() : external_node_os_namespaceObject.cpus().length,
    platform: process.platform,
    // os.machine() is Node 18.9+; process.arch is Node's name ("x64") for the same thing.
    machine: () => (typeof external_node_os_namespaceObject.machine === "function" ? external_node_os_namespaceObject.machine() : process.arch),
};
function detectMachine(env, probes = {}) {
    const p = { ...defaults, ...probes };
    const machine = { os: p.platform };
    const arch = attempt(p.machine)?.trim();
    if (arch)
        machine.arch = arch;
    const model = cpuModel(attempt(p.cpuinfo) ?? "") ?? usable(attempt(p.cpuModels)?.[0]);
    if (model)
        machine.cpu_model = model;
    const threads = juliaThreads(env.JULIA_NUM_THREADS, () => attempt(p.parallelism)) ?? machine_count(env.SLURM_CPUS_PER_TASK);
    if (threads !== undefined)
        machine.threads = threads;
    return machine;
}
/** The first processor's model in /proc/cpuinfo: x86's "model name", POWER's "cpu", others' "Model". */
function cpuModel(cpuinfo) {
    for (const key of ["model name", "cpu", "Model", "Hardware"]) {
        const m = new RegExp(`^${key}\\s*:\\s*(.+)$`, "m").exec(cpuinfo);
        const model = usable(m?.[1]);
        if (model)
            return model;
    }
    return undefined;
}
/** JULIA_NUM_THREADS: "8", "8,1" (default and interactive pools: the default one), "auto". */
function juliaThreads(value, auto) {
    const v = value?.trim();
    if (!v)
        return undefined;
    if (v.split(",")[0]?.trim() === "auto")
        return auto();
    return machine_count(v.split(",")[0]);
}
function usable(model) {
    const m = model?.replace(/\s+/g, " ").trim();
    return m && m.toLowerCase() !== "unknown" ? m.slice(0, 200) : undefined;
}
function machine_count(value) {
    const v = value?.trim();
    return v && /^\d{1,6}$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
}
function attempt(probe) {
    try {
        return probe();
    }
    catch {
        return undefined;
    }
}
/**
 * `hpc` with what the benchmark files say filling the gaps (the node's own findings come first), but
 * threads from the files first: a file records the threads that ran, the environment only a setting.
 */
function withFileEnvironment(hpc, file) {
    const out = { ...hpc };
    for (const key of ["cpu_model", "os", "arch", "node", "julia_version"]) {
        if (out[key] === undefined && file[key] !== undefined)
            out[key] = file[key];
    }
    if (file.threads !== undefined)
        out.threads = file.threads;
    return out;
}

;// CONCATENATED MODULE: ./.build/src/contract/normalize.js
// Combines the documents published for one commit into one run, itself a valid hpc-results.json.
// A field is only ever copied or derived from a document that states it: nothing is invented.


const PROVENANCE_FROM_META = (/* unused pure expression or super */ null && ([
    "cluster",
    "job_id",
    "node",
    "scheduler",
    "partition",
    "account",
    "nodes",
    "cpus",
    "walltime_seconds",
    "time_limit_seconds",
    "pipeline_id",
    "runtime_versions",
]));
const COUNT_KINDS = ["passed", "failed", "errored", "broken", "skipped"];
/** Returns the normalized run, or undefined when no document says anything about `commit`. */
function normalizeRun(commit, docs, sources) {
    if (!docs.results && !docs.testsSummary && !docs.testsEndpoint && !docs.benchmarksSummary && !docs.meta) {
        if (!docs.benchmarksEndpoint)
            return undefined;
    }
    const { meta } = docs;
    const run = docs.results ? structuredClone(docs.results) : { schema_version: 1, commit };
    run.schema_version = 1;
    run.commit = commit;
    run.branch ??= meta?.branch;
    run.generated_at ??=
        meta?.generated_at ?? docs.testsSummary?.generated_at ?? docs.benchmarksSummary?.generated_at;
    if (meta && meta.tag !== undefined && run.tag === undefined)
        run.tag = meta.tag;
    run.dirty ??= meta?.dirty;
    run.pushed ??= meta?.pushed;
    const hpc = { ...run.hpc };
    if (meta) {
        for (const key of PROVENANCE_FROM_META) {
            if (hpc[key] === undefined && meta[key] !== undefined)
                Object.assign(hpc, { [key]: meta[key] });
        }
        hpc.julia_version ??= meta.runtime_versions?.julia;
    }
    const definedHpc = dropUndefined(hpc);
    if (Object.keys(definedHpc).length > 0)
        run.hpc = definedHpc;
    if (!("coverage" in run) && meta && "coverage_percent" in meta) {
        run.coverage =
            typeof meta.coverage_percent === "number" ? { coverage_percent: meta.coverage_percent } : null;
    }
    const tests = normalizeTests(run.tests, docs.testsSummary, docs.testsEndpoint, meta?.tests_status);
    if (tests)
        run.tests = tests;
    const benchmarks = normalizeBenchmarks(run.benchmarks, docs.benchmarksSummary, docs.benchmarksEndpoint, meta?.benchmarks_status);
    if (benchmarks)
        run.benchmarks = benchmarks;
    run.sources = sources;
    return dropUndefined(run);
}
function knownStatus(value) {
    return STATUSES.includes(value ?? "") ? value : undefined;
}
function normalizeTests(section, summary, endpoint, metaStatus) {
    const fromEndpoint = endpoint ? readEndpointMessage(endpoint) : {};
    const status = section?.status ?? summary?.status ?? fromEndpoint.status ?? knownStatus(metaStatus);
    if (!status)
        return section;
    const tests = { ...section, status };
    tests.duration_seconds ??= summary?.duration_seconds ?? fromEndpoint.duration_seconds;
    tests.suites ??= summary?.suites;
    tests.totals ??= summary?.totals ?? (tests.suites ? sumSuites(tests.suites) : undefined);
    if (tests.totals && tests.totals.total === undefined)
        tests.totals = normalize_withTotal(tests.totals);
    tests.reason ??= summary?.reason;
    return dropUndefined(tests);
}
function normalizeBenchmarks(section, summary, endpoint, metaStatus) {
    const fromEndpoint = endpoint ? readEndpointMessage(endpoint) : {};
    // A benchmark summary without a status still shows that the benchmarks ran and produced results.
    const status = section?.status ??
        summary?.status ??
        (summary ? "passed" : undefined) ??
        fromEndpoint.status ??
        knownStatus(metaStatus);
    if (!status)
        return section;
    const benchmarks = { ...section, status };
    benchmarks.duration_seconds ??= summary?.duration_seconds ?? fromEndpoint.duration_seconds;
    benchmarks.results ??= summary?.benchmarks;
    benchmarks.baseline ??= summary?.baseline;
    benchmarks.regression_threshold_pct ??= summary?.regression_threshold_pct;
    benchmarks.reason ??= summary?.reason;
    // The judge's verdict travels with the results, so that a run read from its summary shows the same verdict.
    benchmarks.verdict ??= summary?.verdict;
    benchmarks.shifts ??= summary?.shifts;
    benchmarks.judge ??= summary?.judge;
    benchmarks.confirmed ??= summary?.confirmed;
    if (benchmarks.results && benchmarks.worst_regression_pct === undefined) {
        benchmarks.worst_regression_pct = worstRegression(benchmarks.results);
    }
    return dropUndefined(benchmarks);
}
/**
 * The largest slowdown against the baseline, in percent; null when no benchmark has a baseline. With the
 * judge's verdicts: the largest change among regressions, of the metric that regressed (doubled allocations
 * are +100% even when time is unchanged), 0 when nothing regressed (noise is not a slowdown).
 */
function worstRegression(results) {
    const judged = Object.values(results).some((r) => r.verdict !== undefined);
    let worst = null;
    for (const result of Object.values(results)) {
        const delta = result.delta_vs_baseline_pct;
        if (judged) {
            if (result.verdict === undefined || result.verdict === "no_baseline")
                continue;
            worst ??= 0;
            const change = result.verdict === "regression" ? regressedChange(result) : undefined;
            if (typeof change === "number")
                worst = Math.max(worst, change);
        }
        else if (typeof delta === "number" && (worst === null || delta > worst))
            worst = delta;
    }
    return worst;
}
/** A regressed benchmark's change, worse positive: its regressing metrics' largest, else its time's. */
function regressedChange(result) {
    const e = result.evidence ?? {};
    const changes = ["time", "value", "allocs", "memory"].flatMap((k) => {
        const change = e[k]?.verdict === "regression" ? e[k]?.change_pct : undefined;
        if (typeof change !== "number")
            return [];
        return [k === "value" && result.direction === "bigger_is_better" ? -change : change];
    });
    return changes.length > 0 ? Math.max(...changes) : result.delta_vs_baseline_pct;
}
/** Totals of the outermost suites: a nested suite ("a/b") is already counted in its parent ("a"). */
function sumSuites(suites) {
    const totals = {};
    const names = new Set(Object.keys(suites));
    const nested = (name) => {
        for (let i = name.indexOf("/"); i > 0; i = name.indexOf("/", i + 1))
            if (names.has(name.slice(0, i)))
                return true;
        return false;
    };
    for (const [name, counts] of Object.entries(suites)) {
        if (nested(name))
            continue;
        for (const kind of COUNT_KINDS) {
            if (counts[kind] !== undefined)
                totals[kind] = (totals[kind] ?? 0) + counts[kind];
        }
    }
    return normalize_withTotal(totals);
}
function normalize_withTotal(counts) {
    if (counts.total !== undefined)
        return counts;
    return { ...counts, total: COUNT_KINDS.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0) };
}
function dropUndefined(value) {
    for (const key of Object.keys(value)) {
        if (value[key] === undefined)
            delete value[key];
    }
    return value;
}

;// CONCATENATED MODULE: ./.build/src/judge/stats.js
// Order statistics the judge needs. Inputs are plain arrays of finite numbers; nothing is modified.
/** The median; NaN for an empty list. */
function stats_median(values) {
    return quantileSorted(sortedCopy(values), 0.5);
}
/** An ascending copy; a typed array sorts numbers without a comparator call per comparison. */
function sortedCopy(values) {
    return Float64Array.from(values).sort();
}
/** The q-quantile of an ascending list, interpolated linearly between order statistics. */
function quantileSorted(sorted, q) {
    const n = sorted.length;
    if (n === 0)
        return NaN;
    const at = (n - 1) * q;
    const lo = Math.floor(at);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
/** rustc-perf's upper fence of a list: Q3 + 3 IQR. NaN for an empty list. */
function upperFence(values) {
    const sorted = sortedCopy(values);
    const q1 = quantileSorted(sorted, 0.25);
    const q3 = quantileSorted(sorted, 0.75);
    return q3 + 3 * (q3 - q1);
}
/** A percentage to two decimals, without -0. */
function roundPct(pct) {
    return Math.round(pct * 100) / 100 || 0;
}
/** A log ratio as a percent change. */
function logToPct(log) {
    return roundPct((Math.exp(log) - 1) * 100);
}

;// CONCATENATED MODULE: ./.build/src/judge/metric.js

/** The baseline of a noisy metric: the median of this many newest history points, not the newest alone. */
const BASELINE_WINDOW = 5;
/** Band in robust standard deviations of one run's noise (a z-score, as Conbench's lookback z-score). */
const BAND_Z = 5;
/** median |N(0, 2σ²)| = 0.6745·√2·σ: turns the median absolute consecutive change into σ. */
const SIGMA_PER_MEDIAN_STEP = 1 / (0.6745 * Math.SQRT2);
/** How strongly a band from few consecutive changes is widened: sqrt(1 + SMALL_SAMPLE / changes). */
const SMALL_SAMPLE = 4;
/** Absolute slack for tiny counts: an increase must exceed both this and the tolerance. */
const COUNT_SLACK = { allocs: 1, memory_bytes: 64 };
/**
 * `series`: the metric in the history, oldest first (positive numbers only). The noise is learned from
 * the absolute log changes between consecutive default-branch runs (as Tachometer.jl does; a real step
 * merged to the branch is one change, not a wider spread): the band is the larger of rustc-perf's upper
 * fence (Q3 + 3 IQR), which follows heavy tails, and BAND_Z robust standard deviations estimated from
 * the median change, which stays steady where quartiles of a few dozen changes do not. The run's own
 * spread (`spread`, log units) widens it; then it is kept between the floor and the cap.
 */
function compareNoisy(series, current, biggerIsBetter, thresholds, spread = 0) {
    if (series.length === 0 || !(current > 0))
        return undefined;
    const baseline = stats_median(series.slice(-BASELINE_WINDOW));
    const steps = [];
    for (let i = 1; i < series.length; i++)
        steps.push(Math.abs(Math.log(series[i] / series[i - 1])));
    const learned = steps.length >= 2
        ? Math.max(upperFence(steps), BAND_Z * SIGMA_PER_MEDIAN_STEP * stats_median(steps)) * fewSteps(steps.length)
        : 0;
    const floor = Math.log1p(thresholds.floor_pct / 100);
    const cap = Math.log1p(thresholds.cap_pct / 100);
    const own = Math.max(floor, learned, spread);
    const ratio = Math.log(current / baseline);
    return {
        baseline,
        current,
        cost: biggerIsBetter ? -ratio : ratio,
        band: Math.min(own, Math.max(cap, floor)),
        own,
        points: series.length,
    };
}
/** Widens a band learned from few changes, whose quartiles and median are themselves uncertain. */
function fewSteps(n) {
    return Math.sqrt(1 + SMALL_SAMPLE / n);
}
/** The verdict of a noisy metric once a suite shift (`shift`, log units of cost) is divided out. */
function decideNoisy(c, thresholds, shift = 0) {
    const cost = c.cost - shift;
    const verdict = cost > c.band ? "regression" : cost < -c.band ? "improvement" : "unchanged";
    const judgement = {
        baseline: c.baseline,
        current: c.current,
        change_pct: roundPct((c.current / c.baseline - 1) * 100),
        band_pct: logToPct(c.band),
        verdict,
    };
    if (c.points < thresholds.min_history) {
        return {
            judgement,
            tentative: true,
            note: `${c.points} of ${thresholds.min_history} default-branch runs: tentative`,
        };
    }
    if (c.own > c.band && Math.abs(cost) <= c.own) {
        return {
            judgement,
            tentative: verdict !== "unchanged",
            note: `noisier than the cap: this benchmark moves up to ±${logToPct(c.own)}% between default-branch runs`,
        };
    }
    return { judgement, tentative: false };
}
/** Allocations or memory: an increase past the tolerance (and the slack) is a regression; from zero, any. */
function judgeCount(baseline, current, tolerancePct, slack) {
    if (current === undefined)
        return undefined;
    if (baseline === undefined)
        return { current, verdict: "no_baseline" };
    const allowed = Math.max((baseline * tolerancePct) / 100, slack);
    const verdict = (baseline === 0 && current > 0) || current - baseline > allowed
        ? "regression"
        : baseline - current > allowed
            ? "improvement"
            : "unchanged";
    return {
        baseline,
        current,
        change_pct: baseline === 0 ? (current === 0 ? 0 : null) : roundPct((current / baseline - 1) * 100),
        band_pct: tolerancePct,
        verdict,
    };
}

;// CONCATENATED MODULE: ./.build/src/judge/shift.js

/** A shift needs at least this many benchmarks of a suite, and this share of those judged, moving together. */
const SHIFT_MIN_BENCHMARKS = 3;
const SHIFT_MIN_SHARE = 2 / 3;
/** The suite of a benchmark named `<suite>/<benchmark>`; a name without a slash is its own suite. */
function suiteOf(name) {
    const slash = name.indexOf("/");
    return slash > 0 ? name.slice(0, slash) : name;
}
function findShifts(moved, node) {
    const suites = new Map();
    for (const m of moved) {
        const list = suites.get(m.suite);
        if (list)
            list.push(m);
        else
            suites.set(m.suite, [m]);
    }
    const bySuite = new Map();
    const reported = [];
    for (const [suite, members] of [...suites].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        // Half a band: one benchmark past half its band is common noise, most of a suite at once is not.
        const up = members.filter((m) => m.cost > m.band / 2).length;
        const down = members.filter((m) => m.cost < -m.band / 2).length;
        const together = Math.max(up, down);
        if (together < SHIFT_MIN_BENCHMARKS || together < SHIFT_MIN_SHARE * members.length)
            continue;
        const shift = stats_median(members.map((m) => m.cost));
        bySuite.set(suite, shift);
        reported.push({
            suite,
            ...(node && { node }),
            factor: roundPct(Math.exp(shift)),
            benchmarks: together,
            of: members.length,
        });
    }
    return { bySuite, reported };
}

;// CONCATENATED MODULE: ./.build/src/judge/judge.js





function judgeBenchmarks(input) {
    const { thresholds } = input;
    const history = input.history.slice(-thresholds.history_limit);
    const planned = Object.entries(input.current).map(([name, result]) => plan(name, result, history, input));
    const { bySuite, reported } = findShifts(planned.flatMap((p) => p.noisy ? [{ suite: suiteOf(p.name), cost: p.noisy.cost, band: p.noisy.band }] : []), input.node);
    const results = {};
    const failing = [];
    let anyImprovement = false;
    let anyJudged = false;
    for (const p of planned) {
        const shift = bySuite.get(suiteOf(p.name));
        const out = judgeOne(p, input, shift);
        results[p.name] = out;
        if (out.verdict !== "no_baseline")
            anyJudged = true;
        if (out.verdict === "improvement")
            anyImprovement = true;
        if (out.verdict === "regression" && !out.evidence?.tentative)
            failing.push(p.name);
    }
    failing.sort((a, b) => (results[b]?.delta_vs_baseline_pct ?? 0) - (results[a]?.delta_vs_baseline_pct ?? 0));
    const verdict = failing.length > 0
        ? "regression"
        : anyImprovement
            ? "improvement"
            : anyJudged
                ? "unchanged"
                : "no_baseline";
    return {
        results,
        verdict,
        shifts: reported,
        failing,
        worst: worstRegression(results),
        historyPoints: history.length,
    };
}
/** Which noisy metric a benchmark has, and its comparison with history before any shift. */
function plan(name, result, history, input) {
    const past = gather(name, history);
    const base = { name, result, past };
    if (result.median_ms !== undefined || result.min_ms !== undefined) {
        // The minimum when both sides have it: with 2-5 samples and JIT compilation in the first, a median
        // of two samples is half compilation, and the sample count changes from run to run.
        const useMin = result.min_ms !== undefined && past.mins.length >= Math.max(1, past.medians.length);
        const current = useMin ? result.min_ms : result.median_ms;
        if (current === undefined)
            return { ...base, key: "time" };
        const spread = ownSpread(result, useMin);
        const noisy = compareNoisy(useMin ? past.mins : past.medians, current, false, input.thresholds, spread);
        return { ...base, key: "time", noisy };
    }
    if (result.value !== undefined) {
        // A rate without a direction could be judged backwards: better no verdict than a wrong one.
        if (result.direction === undefined && result.unit !== undefined && isRate(result.unit))
            return { ...base, key: "value", why: `${result.unit} without a direction: not judged` };
        const bigger = result.direction === "bigger_is_better";
        const noisy = compareNoisy(past.values, result.value, bigger, input.thresholds);
        return { ...base, key: "value", noisy };
    }
    return base;
}
/** The run's own spread of a minimum, log(median/min), when 3+ samples leave the JIT sample out of the median. */
function ownSpread(result, useMin) {
    const { samples, median_ms, min_ms } = result;
    if (!useMin || samples === undefined || samples < 3 || !(min_ms > 0) || !(median_ms >= min_ms))
        return 0;
    return Math.log(median_ms / min_ms);
}
function judgeOne(p, input, shift) {
    const { thresholds } = input;
    const { past } = p;
    const evidence = {};
    const notes = [];
    let noisy;
    if (p.noisy && p.key) {
        noisy = decideNoisy(p.noisy, thresholds, shift ?? 0);
        evidence[p.key] = noisy.judgement;
        if (shift !== undefined)
            evidence.shift_pct = logToPct(shift);
        if (noisy.note)
            notes.push(noisy.note);
    }
    else if (p.key) {
        evidence[p.key] = { verdict: "no_baseline" };
        if (p.why)
            notes.push(p.why);
    }
    const allocs = judgeCount(past.allocs, p.result.allocs, thresholds.tolerance_pct, COUNT_SLACK.allocs);
    const memory = judgeCount(past.memory, p.result.memory_bytes, thresholds.tolerance_pct, COUNT_SLACK.memory_bytes);
    if (allocs)
        evidence.allocs = allocs;
    if (memory)
        evidence.memory = memory;
    const metrics = [evidence.time, evidence.value, allocs, memory].filter((m) => m !== undefined);
    const verdict = worstVerdict(metrics.map((m) => m.verdict));
    const countRegressed = allocs?.verdict === "regression" || memory?.verdict === "regression";
    if (noisy?.tentative === true && !countRegressed)
        evidence.tentative = true;
    if (past.points > 0) {
        evidence.history_points = past.points;
        evidence.baseline_commit = past.newestCommit;
    }
    if (notes.length > 0)
        evidence.note = notes.join("; ");
    const out = { ...p.result, verdict, evidence, regression: verdict === "regression" };
    const main = evidence.time ?? evidence.value;
    out.delta_vs_baseline_pct = main?.change_pct ?? null;
    out.baseline_median_ms =
        p.key === "time" && past.medians.length > 0 ? stats_median(past.medians.slice(-BASELINE_WINDOW)) : null;
    return out;
}
/** A regression anywhere wins; then an improvement; then unchanged; none judged: no_baseline. */
function worstVerdict(verdicts) {
    const seen = new Set(verdicts);
    for (const v of ["regression", "improvement", "unchanged"])
        if (seen.has(v))
            return v;
    return "no_baseline";
}
function gather(name, history) {
    const g = { points: 0, mins: [], medians: [], values: [] };
    if (name === "__proto__")
        return g; // never a benchmark (the JSON reader refuses the key)
    for (const run of history) {
        const point = run.benchmarks[name];
        // A plain lookup; what an object inherits ("constructor", "toString") is a function, not a point.
        if (typeof point !== "object" || point === null)
            continue;
        g.points++;
        g.newestCommit = run.commit;
        if (positive(point.min_ms))
            g.mins.push(point.min_ms);
        if (positive(point.median_ms))
            g.medians.push(point.median_ms);
        if (positive(point.value))
            g.values.push(point.value);
        if (point.allocs !== undefined)
            g.allocs = point.allocs;
        if (point.memory_bytes !== undefined)
            g.memory = point.memory_bytes;
    }
    return g;
}
function positive(v) {
    return typeof v === "number" && v > 0 && v < Infinity;
}

;// CONCATENATED MODULE: ./.build/src/judge/index.js
// The benchmark judge: verdicts with evidence against a bounded default-branch history (pure, no I/O).




;// CONCATENATED MODULE: ./.build/src/results-branch/baseline.js
// Which source branch is the baseline: its runs are the benchmark history (history.ts) that every
// other branch is judged against.

/** The repository's default branch as its remote says (origin/HEAD), else "main". */
async function defaultBranch(root, remote) {
    const ref = await git(root, ["symbolic-ref", "--quiet", `refs/remotes/${remote}/HEAD`]).catch(() => "");
    const name = ref.trim().replace(`refs/remotes/${remote}/`, "");
    return name || "main";
}
/** The branch whose runs are the benchmark history: benchmarks.baseline_branch, else the default branch. */
async function baselineBranch(settings) {
    return settings.benchmarks.baselineBranch ?? (await defaultBranch(settings.root, settings.results.remote));
}

;// CONCATENATED MODULE: ./.build/src/results-branch/history.js
// The benchmark history of a source branch on the results branch: `history/<encoded branch>.json`, the
// newest runs with only what judging needs (schemas/benchmark-history.schema.json). publish adds runs
// of the default branch; the CLI reads the file with one partial fetch, in time that grows with the
// file's bound, and keeps the runs of its own environment.








const HISTORY_FOLDER = "history";
/** Runs kept per environment, and in all (the oldest environments go first). */
const HISTORY_PER_ENVIRONMENT = 100;
const HISTORY_RUNS = 300;
/** 300 runs of a few hundred benchmarks; the file is bounded by its runs, not by this. */
const HISTORY_MAX_BYTES = 32 * 1024 * 1024;
function historyFile(branch) {
    return `${HISTORY_FOLDER}/${encodeURIComponent(branch)}.json`;
}
const history_ENVIRONMENT_KEYS = ["cluster", "cpu_model", "julia_version", "threads", "os", "arch"];
function environmentOf(results) {
    const hpc = results.hpc ?? {};
    const env = {};
    for (const key of history_ENVIRONMENT_KEYS)
        if (hpc[key] !== undefined)
            Object.assign(env, { [key]: hpc[key] });
    return env;
}
function sameEnvironment(a, b) {
    return history_ENVIRONMENT_KEYS.every((k) => a[k] === b[k]);
}
/** "cluster lr, CPU Xeon 6130, Julia 1.10.10, 8 threads, linux/x86_64" (what is known). */
function describeEnvironment(env) {
    const parts = [
        env.cluster && `cluster ${env.cluster}`,
        env.cpu_model && `CPU ${env.cpu_model}`,
        env.julia_version && `Julia ${env.julia_version}`,
        env.threads !== undefined && `${env.threads} threads`,
        (env.os || env.arch) && [env.os, env.arch].filter(Boolean).join("/"),
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(", ") : "unknown environment";
}
/** The history entry of a run, or why the run does not belong in the history. */
function historyEntry(results) {
    const bench = results.benchmarks;
    if (!bench?.results || Object.keys(bench.results).length === 0)
        return { reason: "no benchmark results" };
    if (bench.status !== "passed")
        return { reason: `the benchmarks ${bench.status}` };
    if (results.dirty === true)
        return { reason: "the tested tree had uncommitted changes" };
    if (results.pushed === false)
        return { reason: "the tested commit was not pushed" };
    const benchmarks = {};
    for (const [name, r] of Object.entries(bench.results)) {
        const point = {};
        // Six significant digits: finer than any timing repeats, and a third smaller a file.
        for (const key of ["median_ms", "min_ms", "value"])
            if (r[key] !== undefined)
                point[key] = Number(r[key].toPrecision(6));
        if (r.direction !== undefined)
            point.direction = r.direction;
        if (r.allocs !== undefined)
            point.allocs = r.allocs;
        if (r.memory_bytes !== undefined)
            point.memory_bytes = r.memory_bytes;
        benchmarks[name] = point;
    }
    return {
        entry: {
            commit: results.commit,
            ...(results.generated_at && { generated_at: results.generated_at }),
            ...(results.hpc?.node && { node: results.hpc.node }),
            environment: environmentOf(results),
            benchmarks,
        },
    };
}
/** The history with `entry` added: one run per commit and environment, oldest first, bounded. */
function withRun(history, branch, entry) {
    const others = (history?.runs ?? []).filter((r) => !(r.commit === entry.commit && sameEnvironment(r.environment, entry.environment)));
    const runs = [...others, entry].sort((a, b) => time(a) - time(b));
    const kept = [];
    const perEnvironment = new Map();
    for (let i = runs.length - 1; i >= 0 && kept.length < HISTORY_RUNS; i--) {
        const run = runs[i];
        const key = JSON.stringify(history_ENVIRONMENT_KEYS.map((k) => run.environment[k] ?? null));
        const n = perEnvironment.get(key) ?? 0;
        if (n >= HISTORY_PER_ENVIRONMENT)
            continue;
        perEnvironment.set(key, n + 1);
        kept.push(run);
    }
    return { schema_version: 1, branch, runs: kept.reverse() };
}
function time(run) {
    const t = Date.parse(run.generated_at ?? "");
    return Number.isNaN(t) ? 0 : t;
}
/**
 * Adds the run to its branch's history in a checkout of the results branch. An unreadable history file
 * is started again rather than blocking the run. Returns what was done, for the log.
 */
async function updateHistory(dir, results) {
    const branch = results.branch;
    if (!branch)
        return "not added to the benchmark history: the run names no branch";
    const { entry, reason } = historyEntry(results);
    if (!entry)
        return `not added to the ${branch} benchmark history: ${reason}`;
    const file = historyFile(branch);
    let history;
    let note = "";
    try {
        const value = await readDocument((0,external_node_path_namespaceObject.join)(dir, file), file, HISTORY_MAX_BYTES);
        const problems = checkDocument("benchmark-history", value, file);
        if (problems.length > 0)
            throw new InvalidDocumentError(problems);
        history = value;
    }
    catch (error) {
        if (error.code !== "ENOENT") {
            const why = error instanceof InvalidDocumentError
                ? error.errors.map(formatContractError).join("; ")
                : String(error);
            note = ` (the old file was unusable and is started again: ${why.slice(0, 300)})`;
        }
    }
    const updated = withRun(history, branch, entry);
    await writeJsonAtomic((0,external_node_path_namespaceObject.join)(dir, file), updated);
    return `added to ${file} (${updated.runs.length} runs)${note}`;
}
/** A history file's text as a valid history; throws InvalidDocumentError with the reasons. */
function parseHistory(text, file) {
    const value = parseDocument(text, file, HISTORY_MAX_BYTES);
    const problems = checkDocument("benchmark-history", value, file);
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    return value;
}
/** The runs of `history` in `environment`, oldest first, without `exceptCommit` (a rerun of itself). */
function historyFor(history, environment, exceptCommit) {
    return history.runs.filter((r) => r.commit !== exceptCommit && sameEnvironment(r.environment, environment));
}
/**
 * The history file of `branch` from the results branch at `remote`: a shallow fetch of the tip without
 * file contents (trees only; falls back to a plain shallow fetch where the server or an old git cannot
 * filter), then the one file, fetched on demand.
 */
async function fetchHistory(remote, resultsBranch, branch, env = process.env) {
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "hpc-ci-history-"));
    const file = historyFile(branch);
    const partial = ["-c", `remote.results.url=${remote}`, "-c", "remote.results.promisor=true"];
    try {
        await git(dir, ["init", "-q"]);
        const ref = `refs/heads/${resultsBranch}`;
        // undefined: the fetch or the read failed; null: the branch has no such file.
        let text = await partialRead(dir, partial, ref, file, env);
        if (text === undefined) {
            try {
                await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", remote, ref], env);
            }
            catch (error) {
                return { reason: `cannot fetch ${resultsBranch}: ${error.message}` };
            }
            text = await git(dir, ["show", `FETCH_HEAD:${file}`], env).catch(() => null);
        }
        if (text === null)
            return { reason: `${resultsBranch} has no ${file} yet` };
        try {
            return { history: parseHistory(text, file) };
        }
        catch (error) {
            if (!(error instanceof InvalidDocumentError))
                throw error;
            return {
                reason: `${file} is unusable: ${error.errors.map(formatContractError).join("; ").slice(0, 500)}`,
            };
        }
    }
    finally {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    }
}
async function partialRead(dir, partial, ref, file, env) {
    try {
        await git(dir, [...partial, "fetch", "-q", "--no-tags", "--depth=1", "--filter=blob:none", "results", ref], env);
        const listed = await git(dir, ["ls-tree", "--name-only", "FETCH_HEAD", "--", file], env);
        if (listed.trim() === "")
            return null;
        return await git(dir, [...partial, "-c", "extensions.partialClone=results", "show", `FETCH_HEAD:${file}`], env);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./.build/src/run/benchmarks-judge.js






/** The default branch's runs in this run's environment (never this commit's own), oldest first. */
async function loadHistory(ctx, commit, hpc) {
    const { settings } = ctx;
    const branch = await baselineBranch(settings);
    const env = environmentOf({ schema_version: 1, commit, hpc });
    const environment = describeEnvironment(env);
    const remote = await settingsRemote(settings).catch(() => undefined);
    if (!remote)
        return { branch, environment, runs: [], reason: "no remote to read the history from" };
    const fetched = await fetchHistory(remote.url, settings.results.branch, branch, tokenEnvironment(remote.url, remote.token));
    if (!fetched.history)
        return { branch, environment, runs: [], reason: fetched.reason };
    const runs = historyFor(fetched.history, env, commit);
    const reason = runs.length === 0
        ? `${fetched.history.runs.length} ${branch} run(s) in the history, none in this environment (${environment})`
        : undefined;
    return { branch, environment, runs, ...(reason && { reason }) };
}
function judgeRun(ctx, current, history, node) {
    const { thresholds, sources, confirmSource } = ctx.settings.benchmarks.judge;
    const outcome = judgeBenchmarks({ current, node, history: history.runs, thresholds });
    const used = history.runs.slice(-thresholds.history_limit);
    const newest = used.at(-1);
    return {
        outcome,
        judge: {
            ...thresholds,
            history_branch: history.branch,
            history_points: outcome.historyPoints,
            environment: history.environment,
            sources: { ...sources, confirm: confirmSource, history_branch: historySource(ctx) },
        },
        ...(newest && {
            baseline: {
                commit: newest.commit,
                branch: history.branch,
                ...(newest.generated_at && { generated_at: newest.generated_at }),
            },
        }),
    };
}
/**
 * After a rerun: only regressions seen in both runs remain. The rerun's numbers are kept (the newer
 * measurement); a regression of one run only becomes the other run's verdict, with a note.
 */
function keepConfirmed(first, second) {
    const results = {};
    for (const [name, r] of Object.entries(second.results)) {
        const before = first.results[name];
        const once = (r.verdict === "regression") !== (before?.verdict === "regression");
        if (!once || r.verdict !== "regression") {
            results[name] = once ? withNote(r, "the first run's regression was not seen again") : r;
            continue;
        }
        results[name] = withNote({ ...r, verdict: "unchanged", regression: false }, "a regression of the rerun only, not of the first run");
    }
    const failing = second.failing.filter((n) => first.failing.includes(n));
    const anyImprovement = Object.values(results).some((r) => r.verdict === "improvement");
    const verdict = failing.length > 0
        ? "regression"
        : anyImprovement
            ? "improvement"
            : second.verdict === "no_baseline"
                ? "no_baseline"
                : "unchanged";
    return { ...second, results, failing, verdict, worst: worstRegression(results) };
}
function withNote(r, note) {
    const evidence = { ...r.evidence, note: r.evidence?.note ? `${r.evidence.note}; ${note}` : note };
    return { ...r, evidence };
}
/** The section fields the judge fills. */
function judgedSection(judged, confirmed) {
    const { outcome } = judged;
    return {
        results: outcome.results,
        verdict: outcome.verdict,
        shifts: outcome.shifts,
        judge: judged.judge,
        worst_regression_pct: outcome.worst,
        // Legacy readers' threshold: the smallest time change that can ever be a regression.
        regression_threshold_pct: judged.judge.floor_pct,
        ...(judged.baseline && { baseline: judged.baseline }),
        ...(confirmed !== undefined && { confirmed }),
    };
}
/** What the log says about the verdicts: the run's verdict, each regression with its evidence, shifts. */
function describeJudgement(judged) {
    const { outcome, judge } = judged;
    const lines = [
        `benchmarks: ${outcome.verdict} against ${outcome.historyPoints} ${judge.history_branch} run(s) in ${judge.environment}` +
            ` (floor ${judge.floor_pct}%, cap ${judge.cap_pct}%, min history ${judge.min_history}, tolerance ${judge.tolerance_pct}%)`,
    ];
    for (const s of outcome.shifts)
        lines.push(`benchmarks: suite ${s.suite} moved x${s.factor} together${s.node ? ` on node ${s.node}` : ""} (${s.benchmarks} of ${s.of}): judged with that divided out`);
    for (const [name, r] of Object.entries(outcome.results)) {
        if (r.verdict !== "regression" && r.verdict !== "improvement")
            continue;
        const e = r.evidence ?? {};
        const parts = ["time", "value", "allocs", "memory"].flatMap((k) => {
            const m = e[k];
            if (!m || (m.verdict !== "regression" && m.verdict !== "improvement"))
                return [];
            const change = typeof m.change_pct === "number" ? `${m.change_pct > 0 ? "+" : ""}${m.change_pct}%` : "from 0";
            return [`${k} ${m.baseline} -> ${m.current} (${change}, band ±${m.band_pct}%)`];
        });
        const tag = e.tentative ? " (tentative: cannot fail)" : "";
        lines.push(`benchmarks: ${r.verdict}${tag}: ${name}: ${parts.join("; ")}${e.note ? ` [${e.note}]` : ""}`);
    }
    return lines;
}
function historySource(ctx) {
    if (ctx.env.HPC_BENCH_BASELINE_BRANCH)
        return "HPC_BENCH_BASELINE_BRANCH";
    if (ctx.settings.benchmarks.baselineBranch)
        return ".hpc-ci.json benchmarks.baseline_branch";
    return `${ctx.settings.results.remote}/HEAD`;
}

;// CONCATENATED MODULE: ./.build/src/run/benchmarks-phase.js
// The benchmarks phase: the walltime guard, the benchmark commands (no stdin, their own logs), the
// result files this run wrote read in any of the supported formats, and the judge's verdicts against the
// default branch's history (benchmarks-judge.ts), confirmed by a second run when asked and time permits.










async function runBenchmarksPhase(ctx, paths, env, commit, provenance, now) {
    const { settings, log } = ctx;
    const bench = settings.benchmarks;
    if (bench.commands.length === 0) {
        if (ctx.mode.benchmarks === "on") {
            throw new ConfigError("benchmarks were asked for, but none are configured (benchmarks.commands in .hpc-ci.json, or benchmark/benchmarks.jl)");
        }
        log.info("benchmarks: none configured; skipped");
        return undefined;
    }
    const guard = provenance.benchmarkGuard(now(), bench.reserveSeconds);
    if (guard.skip) {
        log.warn(`benchmarks skipped: ${guard.reason}`);
        return { section: { status: "skipped", duration_seconds: 0, reason: guard.reason } };
    }
    const { file: raw, sources } = resultsSources(bench, paths);
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(raw), { recursive: true }); // so the commands can write there
    const commandEnv = { ...env, ...bench.env, HPC_CI_BENCHMARK_RESULTS: raw };
    const started = Date.now();
    const reasons = [];
    const opened = new Set(); // logs this run has started; later commands add to them
    // One pass of the commands and the results they wrote; called again to confirm a regression. Nothing is
    // deleted: what a pass writes is told from what was there by a snapshot taken just before it.
    const measure = async () => {
        const before = await snapshotBenchmarkFiles(sources, settings.root);
        const startedAt = new Date();
        let failed = false;
        for (const [i, command] of bench.commands.entries()) {
            // Mycelia's pair keeps its two logs; anything else shares benchmarks.log.
            const logName = bench.origin === "mycelia" && i === 0 ? "tutorials" : "benchmarks";
            log.info(`benchmarks: ${describeCommand(command)}`);
            const result = await runCommand(command, {
                cwd: settings.root,
                env: commandEnv,
                logFile: paths.log(logName),
                append: opened.has(logName),
                timeoutSeconds: bench.timeoutSeconds,
            });
            opened.add(logName);
            if (result.exitCode !== 0) {
                failed = true;
                reasons.push(`${describeCommand(command).slice(0, 200)} exited ${result.exitCode}${result.startError ? ` (${result.startError})` : ""}`);
                log.warn(`benchmarks: exit ${result.exitCode}${result.startError ? ` (${result.startError})` : ""}`);
            }
        }
        const collected = await collectBenchmarkResults(sources, { startedAt, before }, settings.root);
        reasons.push(...readingReasons(collected, log));
        if (collected.problems.length > 0)
            failed = true;
        if (collected.files.length === 0 && collected.problems.length === 0 && !failed) {
            const where = bench.resultsFile ? raw : "$HPC_CI_BENCHMARK_RESULTS";
            const named = bench.results.filter((s) => s.path !== raw).map((s) => s.path);
            reasons.push(`the commands wrote no results to ${[where, ...named].join(", ")}`.slice(0, 1000));
            log.warn(`benchmarks: the commands wrote no results to ${[raw, ...named].join(", ")}`);
        }
        return { failed, collected };
    };
    const first = await measure();
    let failed = first.failed;
    let judged;
    let confirmed;
    const current = first.collected.files.length > 0 ? first.collected.results : undefined;
    if (current) {
        // The environment that keys the history includes what the result files say (threads that really ran).
        const hpc = withFileEnvironment(provenance.hpc, first.collected.environment);
        const history = await loadHistory(ctx, commit, hpc);
        if (history.reason)
            log.info(`benchmarks: no history to judge by (${history.reason})`);
        judged = judgeRun(ctx, current, history, hpc.node);
        if (judged.outcome.failing.length > 0 && bench.judge.confirm) {
            // Walltime permitting: the rerun needs about as long as the first run (at least a minute: a
            // fast first run still has to start Julia again), plus the reserve.
            const took = Math.max(60, Math.round((Date.now() - started) / 1000));
            const guard = provenance.benchmarkGuard(now(), bench.reserveSeconds + took);
            if (guard.skip)
                log.warn(`benchmarks: regressions not confirmed: ${guard.reason}`);
            else {
                log.info(`benchmarks: ${judged.outcome.failing.length} regression(s); running the benchmarks again to confirm`);
                const second = await measure();
                failed ||= second.failed;
                if (second.collected.files.length > 0) {
                    const again = judgeRun(ctx, second.collected.results, history, hpc.node);
                    judged = { ...again, outcome: keepConfirmed(judged.outcome, again.outcome) };
                    confirmed = true;
                }
            }
        }
        for (const line of describeJudgement(judged))
            log.info(line);
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const results = judged?.outcome.results;
    const status = failed ? "failed" : "passed";
    log.info(`benchmarks ${status} in ${seconds}s${results ? `, ${Object.keys(results).length} results` : ""}`);
    const section = {
        status,
        duration_seconds: seconds,
        benchmarks_log: RELATIVE.benchmarksLog,
        ...(bench.origin === "mycelia" && { tutorials_log: RELATIVE.tutorialsLog }),
        ...(judged && judgedSection(judged, confirmed)),
        ...(reasons.length > 0 && { reason: reasons.join("; ").slice(0, 4000) }),
    };
    const { results: _, worst_regression_pct: _worst, ...judgedFields } = judged ? judgedSection(judged, confirmed) : {};
    const summary = results && {
        schema_version: 1,
        commit,
        status,
        generated_at: now()
            .toISOString()
            .replace(/\.\d{3}Z$/, "Z"),
        duration_seconds: seconds,
        benchmarks: results,
        ...judgedFields,
    };
    if (summary)
        await writeJsonAtomic(paths.benchmarksSummary, summary);
    return { section, summary, environment: first.collected.environment };
}
/**
 * $HPC_CI_BENCHMARK_RESULTS (the one plain file the user named, else this run's own raw.json, read
 * along with every configured file, folder and glob) and all the sources to read.
 */
function resultsSources(bench, paths) {
    if (bench.resultsFile)
        return { file: bench.resultsFile, sources: bench.results };
    const file = (0,external_node_path_namespaceObject.join)(paths.dir, "artifacts", "benchmarks", "raw.json");
    return { file, sources: [{ path: file }, ...bench.results] };
}
/** The section's reasons from reading: bad files (their errors), files left out (named, briefly). */
function readingReasons(collected, log) {
    for (const line of collected.notes)
        log.info(`benchmarks: ${line}`);
    const reasons = [];
    if (collected.problems.length > 0) {
        const errors = collected.problems.map(formatContractError);
        for (const e of errors)
            log.error(`benchmarks: ${e}`);
        const good = collected.files.length;
        const kept = good > 0 ? ` (the results of the ${good} good file${good === 1 ? "" : "s"} are kept)` : "";
        reasons.push(`the results could not be read: ${errors.join("; ").slice(0, 2000)}${kept}`);
    }
    const { ignored } = collected;
    if (ignored.length > 0) {
        const shown = ignored.slice(0, 3).join(", ") + (ignored.length > 3 ? `, and ${ignored.length - 3} more` : "");
        reasons.push(`ignored ${ignored.length} file${ignored.length === 1 ? "" : "s"} this run did not write or cannot read as results: ${shown}`);
    }
    return reasons;
}

;// CONCATENATED MODULE: ./.build/src/codecov/options.js
// What an upload needs, checked before anything is sent: Codecov refuses a bad commit id, flag, slug
// or build URL with a bare "Invalid request parameters", so we say which value is wrong instead.
const DEFAULT_CODECOV_URL = "https://codecov.io";
/** Codecov's CI service name for "not a CI Codecov knows" (its upload API refuses unknown names). */
const DEFAULT_CI_SERVICE = "custom";
/** Git services Codecov knows (codecov-cli's `--git-service` choices). */
const GIT_SERVICES = [
    "github",
    "gitlab",
    "bitbucket",
    "github_enterprise",
    "gitlab_enterprise",
    "bitbucket_server",
];
/** A value Codecov would refuse, or a missing one. */
class UploadOptionsError extends Error {
    name = "UploadOptionsError";
}
// The same patterns Codecov's upload API validates with (upload/helpers.py parse_params) and the
// uploader's flag rule (at most 45 characters).
const COMMIT = /^[0-9a-f]{40}$/i;
const FLAG = /^[\w.-]{1,45}$/;
const SLUG = /^[\w\-.~/]+\/[\w\-.]{1,255}$/;
const BUILD_URL = /^https?:\/\/.{0,200}$/;
function resolveOptions(options) {
    const env = options.env ?? process.env;
    const commit = options.commit?.trim() ?? "";
    if (!COMMIT.test(commit))
        throw new UploadOptionsError(`commit must be a full 40-character SHA (got "${commit}")`);
    const branch = options.branch?.trim() ?? "";
    if (!branch)
        throw new UploadOptionsError("branch is empty");
    const flags = (options.flag ?? "")
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean);
    if (flags.length === 0)
        throw new UploadOptionsError("flag is empty");
    for (const flag of flags)
        if (!FLAG.test(flag))
            throw new UploadOptionsError(`flag "${flag}" is not a Codecov flag (at most 45 letters, digits, "_", "." or "-")`);
    const slug = options.slug?.trim() || undefined;
    if (slug && !SLUG.test(slug))
        throw new UploadOptionsError(`slug must be "owner/repo" (got "${slug}")`);
    const service = (options.service?.trim() || "github");
    if (!GIT_SERVICES.includes(service))
        throw new UploadOptionsError(`git service must be one of ${GIT_SERVICES.join(", ")} (got "${service}")`);
    const buildUrl = options.buildUrl?.trim() || undefined;
    if (buildUrl && !BUILD_URL.test(buildUrl))
        throw new UploadOptionsError(`build URL must be an http(s) URL of at most 200 characters`);
    const url = (options.url?.trim() || env.CODECOV_URL?.trim() || DEFAULT_CODECOV_URL).replace(/\/+$/, "");
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new UploadOptionsError(`Codecov URL "${url}" is not a URL`);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
        throw new UploadOptionsError(`Codecov URL must be http(s) (got "${url}")`);
    if (parsed.username || parsed.password || parsed.search)
        throw new UploadOptionsError("Codecov URL must not carry credentials or a query");
    const useCli = options.useCli ?? "auto";
    if (!["auto", "never", "always"].includes(useCli))
        throw new UploadOptionsError(`useCli must be auto, never or always (got "${String(useCli)}")`);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function")
        throw new UploadOptionsError("this Node.js has no fetch (Node 18 or newer is needed)");
    return {
        token: options.token?.trim() || undefined,
        lcovPath: options.lcovPath,
        commit: commit.toLowerCase(),
        branch,
        flags,
        slug,
        service,
        ciService: options.ciService?.trim() || DEFAULT_CI_SERVICE,
        build: options.build?.trim() || undefined,
        buildUrl,
        name: options.name?.trim() || undefined,
        url,
        root: options.root,
        reportName: options.reportName?.trim() || undefined,
        network: options.network,
        env,
        fetch: fetchImpl,
        timeoutMs: options_positive(options.timeoutMs, 60_000),
        retries: Math.max(0, Math.floor(options.retries ?? 3)),
        backoff: backoffOf(options.backoffMs),
        useCli,
        cliTimeoutMs: options_positive(options.cliTimeoutMs, 600_000),
        log: options.log ?? (() => { }),
    };
}
function backoffOf(option) {
    if (typeof option === "function")
        return (n) => Math.max(0, option(n));
    const first = Math.max(0, option ?? 2_000);
    return (n) => first * 2 ** (n - 1);
}
function options_positive(value, fallback) {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

;// CONCATENATED MODULE: ./.build/src/codecov/cli-uploader.js
// Uploading through Codecov's own CLI (codecov-cli, whose `upload-process` creates the commit and the
// report and uploads), when one is on PATH. codecov-cli installs itself as both `codecovcli` and
// `codecov`; the retired Node uploader was also called `codecov` and takes other flags, so a `codecov`
// is used only when its help lists `upload-process`. The token goes in the environment (CODECOV_TOKEN,
// which the CLI reads), never in argv, where `ps` on a shared login node would show it.





/** Finds codecov-cli on PATH: `codecovcli` first, then a `codecov` that is codecov-cli. */
async function findCodecovCli(env, timeoutMs = 20_000) {
    const dirs = (env.PATH ?? "").split(external_node_path_namespaceObject.delimiter).filter(Boolean);
    const codecovcli = await which("codecovcli", dirs);
    if (codecovcli)
        return { cli: { path: codecovcli, name: "codecovcli" } };
    const codecov = await which("codecov", dirs);
    if (!codecov)
        return {};
    const help = await runCapture(codecov, ["--help"], { env, timeoutMs });
    if (help.exitCode === 0 && /\bupload-process\b/.test(help.output))
        return { cli: { path: codecov, name: "codecov" } };
    return { note: `${codecov} is not codecov-cli (its --help lists no upload-process)` };
}
async function which(name, dirs) {
    for (const dir of dirs) {
        const candidate = (0,external_node_path_namespaceObject.join)(dir, name);
        try {
            await (0,promises_namespaceObject.access)(candidate, external_node_fs_namespaceObject.constants.X_OK);
            return candidate;
        }
        catch {
            // Not here.
        }
    }
    return undefined;
}
/** codecov-cli's arguments for one explicit file: nothing is searched for or guessed from a CI. */
function codecovCliArgs(o) {
    const args = [];
    // A group option: it goes before the command.
    if (o.url !== DEFAULT_CODECOV_URL)
        args.push("--enterprise-url", o.url);
    args.push("upload-process", "--disable-search", "--fail-on-error");
    args.push("--commit-sha", o.commit, "--branch", o.branch);
    for (const flag of o.flags)
        args.push("--flag", flag);
    // Absolute: the CLI runs in `root`, which need not be our working directory.
    args.push("--file", (0,external_node_path_namespaceObject.resolve)(o.lcovPath), "--git-service", o.service);
    if (o.slug)
        args.push("--slug", o.slug);
    if (o.name)
        args.push("--name", o.name);
    if (o.build)
        args.push("--build", o.build);
    if (o.buildUrl)
        args.push("--build-url", o.buildUrl);
    if (o.root)
        args.push("--network-root-folder", (0,external_node_path_namespaceObject.resolve)(o.root));
    return args;
}
/** The CLI's environment: the caller's, with the token of these options and no other. */
function codecovCliEnv(o) {
    const env = { ...o.env };
    delete env.CODECOV_TOKEN;
    if (o.token)
        env.CODECOV_TOKEN = o.token;
    return env;
}
const MAX_OUTPUT = 256 * 1024;
function runCapture(file, args, options) {
    return new Promise((resolve) => {
        let output = "";
        let pending = "";
        let problem;
        const child = (0,external_node_child_process_namespaceObject.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const timer = setTimeout(() => {
            problem = `stopped after ${Math.round(options.timeoutMs / 1000)}s`;
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
        }, options.timeoutMs);
        const take = (chunk) => {
            const text = chunk.toString("utf8");
            output = (output + text).slice(-MAX_OUTPUT);
            if (!options.onLine)
                return;
            const lines = (pending + text).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines)
                options.onLine(line);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("error", (error) => {
            clearTimeout(timer);
            resolve({ exitCode: 127, output, problem: `could not start ${file}: ${error.message}` });
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            if (pending && options.onLine)
                options.onLine(pending);
            const exitCode = code ?? 128;
            resolve({
                exitCode,
                output,
                ...((problem ?? signal) && { problem: problem ?? `killed by ${signal}` }),
            });
        });
    });
}
/** A commit page the CLI printed, if any. */
function reportUrlIn(output, commit) {
    const match = output.match(new RegExp(`https?://[^\\s'"]+/commit/${commit}[^\\s'"]*`));
    return match?.[0];
}
/** The last lines worth showing of a failed run. */
function lastLines(output, count = 3) {
    const lines = output
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    return lines.slice(-count).join(" | ");
}

;// CONCATENATED MODULE: ./.build/src/codecov/redact.js
// The upload token must never reach a log line, a message or a returned value: every text that leaves
// this module goes through a redactor that knows the token in the forms it may come back in.
const MASK = "***";
/** Returns a function that replaces every occurrence of the secrets (and their encoded forms) with ***. */
function makeRedactor(secrets) {
    const forms = new Set();
    for (const secret of secrets) {
        // A very short "secret" would mask ordinary words; tokens are UUIDs or longer.
        if (!secret || secret.length < 4)
            continue;
        forms.add(secret);
        forms.add(encodeURIComponent(secret));
        // Codecov's own CLI sends a UUID token without its dashes; a server may echo either form.
        if (secret.includes("-"))
            forms.add(secret.replace(/-/g, ""));
    }
    const ordered = [...forms].sort((a, b) => b.length - a.length);
    return (text) => {
        let out = text;
        for (const form of ordered)
            out = out.split(form).join(MASK);
        return out;
    };
}
/** A URL for a message: origin and path only (the query of a pre-signed URL is a credential too). */
function describeUrl(url) {
    try {
        const u = new URL(url);
        return `${u.origin}${u.pathname}`;
    }
    catch {
        return "(invalid URL)";
    }
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./.build/src/codecov/report.js
// The report Codecov's upload API stores and its worker parses: the repository's file list ending with
// "<<<<<< network", then each coverage file as "# path=<name>", its contents and "<<<<<< EOF" (the
// layout of codecov-cli's legacy sender and of the bash and Node uploaders).





const NETWORK_END = "<<<<<< network";
const FILE_END = "<<<<<< EOF";
function formatReport(network, files) {
    const parts = [];
    // An empty network section is left out, as codecov-cli does.
    if (network.length > 0)
        parts.push(`${network.join("\n")}\n${NETWORK_END}\n`);
    for (const file of files) {
        const content = file.content.endsWith("\n") ? file.content : `${file.content}\n`;
        parts.push(`# path=${file.path}\n${content}${FILE_END}\n`);
    }
    return parts.join("");
}
/** Reads a tracefile as text, uncompressing a gzip file (lcov itself reads `.info.gz`). */
async function readTracefile(path) {
    const bytes = await (0,promises_namespaceObject.readFile)(path);
    const gzipped = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    return (gzipped ? (0,external_node_zlib_namespaceObject.gunzipSync)(bytes) : bytes).toString("utf8");
}
/** The report's name for the tracefile: relative to the repository root when inside it. */
function reportPath(lcovPath, root) {
    const base = (0,external_node_path_namespaceObject.resolve)(root ?? process.cwd());
    const rel = (0,external_node_path_namespaceObject.relative)(base, (0,external_node_path_namespaceObject.resolve)(lcovPath));
    return rel && !rel.startsWith("..") && !(0,external_node_path_namespaceObject.isAbsolute)(rel) ? rel.split("\\").join("/") : (0,external_node_path_namespaceObject.resolve)(lcovPath);
}
/** The source files a tracefile names (its SF: lines), for the file list when there is no checkout. */
function sourceFiles(lcov) {
    const seen = new Set();
    for (const match of lcov.matchAll(/^SF:(.*?)\r?$/gm))
        if (match[1])
            seen.add(match[1]);
    return [...seen];
}
const execFileAsync = (0,external_node_util_namespaceObject.promisify)(external_node_child_process_namespaceObject.execFile);
/**
 * The file list: the checkout's tracked files (what Codecov uses to fix paths), else the files the
 * tracefile names. Never fails: a report without the list is still a report.
 */
async function networkFiles(root, lcov) {
    if (root) {
        try {
            const { stdout } = await execFileAsync("git", ["-C", root, "ls-files"], {
                timeout: 30_000,
                maxBuffer: 256 * 1024 * 1024,
            });
            const files = stdout.split("\n").filter(Boolean);
            if (files.length > 0)
                return files;
        }
        catch {
            // Not a git checkout, or no git: fall back to the tracefile's own names.
        }
    }
    return sourceFiles(lcov);
}

;// CONCATENATED MODULE: ./.build/src/cli/version.js
// The CLI's version, recorded in every result as generated_by.
const VERSION = "0.1.0";

;// CONCATENATED MODULE: ./.build/src/codecov/retry.js
// Retries with exponential backoff for the two requests of an upload: a network error, a timeout, a 5xx
// or a 429 is worth another try; anything else is an answer.
/** The longest wait a Retry-After may ask for; a longer one is a failure, not a pause of the job. */
const MAX_RETRY_AFTER_MS = 60_000;
async function withRetries(what, policy, attempt) {
    const attempts = policy.retries + 1;
    for (let n = 1;; n++) {
        const result = await attempt();
        if (result.ok)
            return result;
        if (!result.retry || n >= attempts)
            return { ok: false, message: n > 1 ? `${result.message} (after ${n} attempts)` : result.message };
        if (result.retryAfterMs !== undefined && result.retryAfterMs > MAX_RETRY_AFTER_MS)
            return {
                ok: false,
                message: `${result.message}; asked to wait ${Math.ceil(result.retryAfterMs / 1000)}s`,
            };
        // Jitter keeps the shards of one array job from retrying in step.
        const backoff = policy.backoff(n) * (0.75 + Math.random() * 0.5);
        const delay = Math.round(Math.max(backoff, result.retryAfterMs ?? 0));
        policy.log(`codecov: ${what}: ${result.message}; retrying in ${(delay / 1000).toFixed(1)}s (${n}/${attempts - 1})`);
        await new Promise((done) => setTimeout(done, delay));
    }
}
/** Retry-After in milliseconds (seconds or an HTTP date), if the answer has one. */
function retryAfterMs(header, now = Date.now()) {
    if (!header)
        return undefined;
    const seconds = Number(header.trim());
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

;// CONCATENATED MODULE: ./.build/src/codecov/upload-api.js
// Codecov's upload API, version 4 of its legacy endpoint (what the bash and Node uploaders used and
// codecov-cli still sends with --legacy): POST {url}/upload/v4?<query> answers two lines, the commit's
// page and a pre-signed storage URL; the report then goes there with one PUT. Chosen over the CLI's
// newer API (create commit, create report, create upload, then PUT: three JSON calls) because one call
// carries commit, branch and flag, and codecov.io and self-hosted Codecov both serve it. The token goes
// in the X-Upload-Token header (the server reads `token` from the query or that header), never in the URL.



/** Matches the package pattern the API counts uploaders by: "(<name>-)?uploader-<x.y.z>". */
const PACKAGE = `hpc-ci-uploader-${VERSION}`;
const USER_AGENT = `hpc-ci/${VERSION}`;
/** The query of the POST; every value Codecov validates, nothing secret. */
function uploadQuery(o) {
    const params = [
        ["package", PACKAGE],
        ["commit", o.commit],
        ["branch", o.branch],
        ["build", o.build],
        ["build_url", o.buildUrl],
        ["name", o.name],
        ["slug", o.slug],
        ["service", o.ciService],
        ["flags", o.flags.join(",")],
    ];
    return new URLSearchParams(params.filter((p) => !!p[1]));
}
/** Reads the two-line answer of the POST. */
function parseUploadAnswer(text) {
    const lines = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    if (lines.length !== 2)
        return undefined;
    const [reportUrl, putUrl] = lines;
    return isHttpUrl(reportUrl) && isHttpUrl(putUrl) ? { reportUrl, putUrl } : undefined;
}
async function uploadThroughApi(o, report, redact) {
    const policy = { retries: o.retries, backoff: o.backoff, log: (l) => o.log(redact(l)) };
    const postUrl = `${o.url}/upload/v4?${uploadQuery(o).toString()}`;
    const target = await withRetries("asking for an upload URL", policy, () => requestUploadUrl(o, postUrl, redact));
    if (!target.ok)
        return target;
    const stored = await withRetries("storing the report", policy, () => putReport(o, target.value.putUrl, report, redact));
    return stored.ok ? target : stored;
}
async function requestUploadUrl(o, postUrl, redact) {
    const headers = { Accept: "text/plain", "User-Agent": USER_AGENT };
    if (o.token)
        headers["X-Upload-Token"] = o.token;
    const sent = await send(o, postUrl, { method: "POST", headers, redirect: "manual" });
    if (!sent.ok)
        return sent;
    const { response, text } = sent.value;
    const status = response.status;
    if (status === 200) {
        const target = parseUploadAnswer(text);
        if (target)
            return { ok: true, value: target };
        return {
            ok: false,
            retry: false,
            message: `${describeUrl(postUrl)} answered 200 without an upload URL; is ${o.url} a Codecov server?`,
        };
    }
    const detail = redact(answerDetail(text));
    const suffix = detail ? `: ${detail}` : "";
    if (status >= 300 && status < 400) {
        // Not followed: the token header would go along to wherever it points.
        const location = response.headers.get("location");
        return {
            ok: false,
            retry: false,
            message: `${describeUrl(postUrl)} redirects (${status})${location ? ` to ${describeUrl(new URL(location, postUrl))}` : ""}; set CODECOV_URL to the Codecov server's address`,
        };
    }
    if (status === 401 || status === 403)
        return { ok: false, retry: false, message: `token rejected (${status})${suffix}` };
    if (status === 404)
        return {
            ok: false,
            retry: false,
            message: detail
                ? `token rejected (404)${suffix}`
                : `${describeUrl(postUrl)} not found (404); is ${o.url} a Codecov server?`,
        };
    if (status === 429)
        return {
            ok: false,
            retry: true,
            message: `throttled by Codecov (429)${suffix}`,
            retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
        };
    if (status >= 500)
        return { ok: false, retry: true, message: `Codecov answered ${status}${suffix}` };
    return { ok: false, retry: false, message: `Codecov refused the upload (${status})${suffix}` };
}
async function putReport(o, putUrl, report, redact) {
    const sent = await send(o, putUrl, {
        method: "PUT",
        headers: { "Content-Type": "text/plain", "User-Agent": USER_AGENT },
        body: report,
    });
    if (!sent.ok)
        return sent;
    const { status } = sent.value.response;
    if (status >= 200 && status < 300)
        return { ok: true, value: undefined };
    const detail = redact(answerDetail(sent.value.text));
    const message = `storage at ${describeUrl(putUrl)} answered ${status}${detail ? `: ${detail}` : ""}`;
    return { ok: false, retry: status >= 500 || status === 429, message };
}
/** One request with its timeout; the answer's body read in full, or why there is none. */
async function send(o, url, init) {
    try {
        const response = await o.fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
        const text = await response.text();
        return { ok: true, value: { response, text } };
    }
    catch (error) {
        return { ok: false, retry: true, message: describeFetchError(error, url, o.timeoutMs) };
    }
}
/** Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, ...) in `cause`. */
function describeFetchError(error, url, timeoutMs) {
    const where = new URL(url).origin;
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError")
        return `no answer from ${where} within ${Math.round(timeoutMs / 100) / 10}s`;
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `could not reach ${where}: ${reason}`;
}
/** The useful part of an error answer: DRF's {"detail": ...}, or its first line of text; not HTML pages. */
function answerDetail(text) {
    const trimmed = text.trim();
    if (!trimmed || trimmed.startsWith("<"))
        return "";
    try {
        const value = JSON.parse(trimmed);
        if (value && typeof value === "object") {
            const record = value;
            for (const key of ["detail", "message", "error"])
                if (typeof record[key] === "string")
                    return clip(record[key]);
            return clip(JSON.stringify(value));
        }
    }
    catch {
        // Plain text.
    }
    return clip(trimmed.split(/\r?\n/)[0] ?? "");
}
function clip(text) {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
function isHttpUrl(text) {
    try {
        const u = new URL(text);
        return u.protocol === "https:" || u.protocol === "http:";
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./.build/src/codecov/upload.js
// One Codecov upload of an lcov tracefile under an explicit commit, branch and flag (off GitHub Actions
// nothing can be detected). Never fatal and never throws: a failed upload is { uploaded: false, message }
// for the caller to warn about. The token is in no message, log line or returned value.







async function uploadCoverage(options) {
    const redact = makeRedactor([options.token, options.token?.trim()]);
    const log = (line) => {
        try {
            options.log?.(redact(line));
        }
        catch {
            // A broken logger must not turn into a failed run.
        }
    };
    let via = "api";
    try {
        const o = resolveOptions({ ...options, log });
        const unreadable = await checkReadable(o.lcovPath);
        if (unreadable)
            return { uploaded: false, message: redact(unreadable), via };
        const chosen = await chooseCli(o);
        if (chosen.failure)
            return { uploaded: false, message: redact(chosen.failure), via: "cli" };
        if (chosen.cli) {
            via = "cli";
            return await uploadWithCli(o, chosen.cli, redact);
        }
        return await uploadWithApi(o, redact);
    }
    catch (error) {
        const message = error instanceof UploadOptionsError
            ? error.message
            : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        return { uploaded: false, message: redact(message), via };
    }
}
async function checkReadable(path) {
    try {
        await (0,promises_namespaceObject.access)(path, external_node_fs_namespaceObject.constants.R_OK);
        return undefined;
    }
    catch (error) {
        return `cannot read ${path}: ${error.code ?? String(error)}`;
    }
}
async function chooseCli(o) {
    if (o.useCli === "never")
        return {};
    const found = await findCodecovCli(o.env);
    if (found.cli)
        return { cli: found.cli };
    if (o.useCli === "always")
        return { failure: found.note ?? "no Codecov CLI (codecovcli or codecov) on PATH" };
    if (found.note)
        o.log(`codecov: ${found.note}; using Codecov's upload API`);
    return {};
}
async function uploadWithApi(o, redact) {
    let lcov;
    try {
        lcov = await readTracefile(o.lcovPath);
    }
    catch (error) {
        const code = error.code;
        return { uploaded: false, message: `cannot read ${o.lcovPath}: ${code ?? String(error)}`, via: "api" };
    }
    if (!lcov.trim())
        return { uploaded: false, message: `${o.lcovPath} is empty; nothing to upload`, via: "api" };
    const path = o.reportName ?? reportPath(o.lcovPath, o.root);
    const network = o.network ?? (await networkFiles(o.root, lcov));
    const report = formatReport(network, [{ path, content: lcov }]);
    o.log(`codecov: uploading ${path} to ${o.url} (commit ${o.commit.slice(0, 12)}, branch ${o.branch}, flag ${o.flags.join(",")})`);
    const result = await uploadThroughApi(o, report, redact);
    if (!result.ok)
        return { uploaded: false, message: redact(result.message), via: "api" };
    return {
        uploaded: true,
        reportUrl: redact(result.value.reportUrl),
        message: redact(`uploaded ${path} under flag ${o.flags.join(",")} for commit ${o.commit.slice(0, 12)}`),
        via: "api",
    };
}
async function uploadWithCli(o, cli, redact) {
    const args = codecovCliArgs(o);
    o.log(`codecov: ${cli.path} ${args.join(" ")}`);
    const run = await runCapture(cli.path, args, {
        env: codecovCliEnv(o),
        cwd: o.root,
        timeoutMs: o.cliTimeoutMs,
        onLine: (line) => o.log(`${cli.name}: ${line}`),
    });
    const output = redact(run.output);
    if (run.exitCode === 0 && !run.problem) {
        const reportUrl = reportUrlIn(output, o.commit);
        return {
            uploaded: true,
            ...(reportUrl && { reportUrl }),
            message: `uploaded ${o.lcovPath} with ${cli.name} under flag ${o.flags.join(",")} for commit ${o.commit.slice(0, 12)}`,
            via: "cli",
        };
    }
    const why = run.problem ?? `exited with ${run.exitCode}`;
    const tail = lastLines(output);
    return { uploaded: false, message: redact(`${cli.name} ${why}${tail ? `: ${tail}` : ""}`), via: "cli" };
}

;// CONCATENATED MODULE: ./.build/src/codecov/index.js
// Codecov upload for the HPC CLI: Codecov's upload API through fetch (no binary needed), or codecov-cli
// when one is on PATH. Node built-ins only, so it bundles into the one-file CLI.







;// CONCATENATED MODULE: ./.build/src/run/upload-phase.js
// The Codecov upload: under the run's own flag, with commit and branch given explicitly (off GitHub
// Actions nothing can be guessed), and never fatal: a failed upload is a warning.



async function uploadPhase(ctx, paths, commit, branch) {
    const { settings, log } = ctx;
    if (!settings.coverage.codecov) {
        log.info("codecov: turned off in .hpc-ci.json");
        return false;
    }
    if (!(0,external_node_fs_namespaceObject.existsSync)(paths.lcov)) {
        log.info(`codecov: no coverage report at ${paths.lcov}; nothing to upload`);
        return false;
    }
    const token = await codecovToken(settings);
    if (!token) {
        // Tokenless uploads are refused for protected branches and off CI: say so instead of failing later.
        log.info("codecov: CODECOV_TOKEN is not set; skipping the upload");
        return false;
    }
    const outcome = await uploadCoverage({
        token,
        lcovPath: paths.lcov,
        commit,
        branch,
        flag: settings.coverage.flag,
        slug: settings.results.repository,
        build: ctx.env.SLURM_JOB_ID || ctx.env.CI_JOB_ID || undefined,
        root: settings.root,
        env: ctx.env,
        log: (line) => log.info(line),
    });
    if (outcome.uploaded)
        log.info(`codecov: uploaded under flag ${settings.coverage.flag}${outcome.reportUrl ? ` (${outcome.reportUrl})` : ""}`);
    else
        log.warn(`codecov: upload failed (non-fatal): ${outcome.message}`);
    return outcome.uploaded;
}

;// CONCATENATED MODULE: ./.build/src/render/benchmark-rule.js
/** " (default)", " (from .hpc-ci.json)": where a setting came from, as the judge recorded it. */
function sourceOf(judge, setting) {
    const source = judge?.sources?.[setting];
    if (!source)
        return "";
    return /^(default|from |input |env|option |flag )/i.test(source) ? ` (${source})` : ` (from ${source})`;
}
function judgeRule(judge, input) {
    const j = judge ?? {};
    const parts = [];
    const branch = j.history_branch ?? "default-branch";
    if (typeof j.history_points === "number") {
        parts.push(`noise band from ${j.history_points} ${branch} run${j.history_points === 1 ? "" : "s"}${sourceOf(j, "history_branch")}`);
    }
    else
        parts.push(`noise band from ${branch} history`);
    const setting = (key, label, unit = "%") => {
        const v = j[key];
        if (typeof v === "number")
            parts.push(`${label} ${v}${unit}${sourceOf(j, key)}`);
    };
    setting("floor_pct", "floor");
    setting("cap_pct", "cap");
    setting("min_history", "gates after", " runs");
    setting("history_limit", "history of at most", " runs");
    setting("tolerance_pct", "allocations and memory tolerance");
    if (j.environment)
        parts.push(`environment ${j.environment}`);
    const ignored = input !== undefined
        ? `; input regression-threshold-pct (${input}%) applies only to runs without verdicts`
        : "";
    return { kind: "judge", text: `judge: ${parts.join(", ")}${ignored}` };
}
function thresholdRule(pct, input, section) {
    const source = input !== undefined
        ? "input regression-threshold-pct"
        : section?.regression_threshold_pct !== undefined
            ? "the run's regression_threshold_pct"
            : "default";
    return { kind: "threshold", text: `threshold ${pct}% (${source})` };
}

;// CONCATENATED MODULE: ./.build/src/render/benchmark-assessment.js



/** A slowdown past this many percent is a regression of a run without verdicts, unless told otherwise. */
const DEFAULT_REGRESSION_THRESHOLD_PCT = 10;
const METRICS = ["time", "value", "allocs", "memory"];
function benchmark_assessment_assessBenchmarks(section, options = {}) {
    const input = options.regressionThresholdPct;
    const thresholdPct = input ?? section?.regression_threshold_pct ?? DEFAULT_REGRESSION_THRESHOLD_PCT;
    const results = Object.entries(section?.results ?? {});
    const judged = section?.verdict !== undefined || results.some(([, r]) => r.verdict !== undefined);
    const rule = judged ? judgeRule(section?.judge, input) : thresholdRule(thresholdPct, input, section);
    const empty = { judged, rule, thresholdPct, regressions: [], tentative: [], improvements: 0, lines: [] };
    if (!section)
        return { verdict: "skipped", reported: false, count: 0, shifts: [], ...empty };
    const lines = results
        .map(([name, r]) => (judged ? judgedLine(name, r, section.judge) : thresholdLine(name, r, thresholdPct)))
        .sort(byImportance);
    const regressions = lines.filter((l) => l.gating).map(causeOf);
    const tentative = lines.filter((l) => l.tentative).map(causeOf);
    const improvements = lines.filter((l) => l.verdict === "improvement").length;
    // A change that a suite-wide shift explains is the environment's, reported once as the shift: not the worst.
    const measured = lines
        .filter((l) => l.worsePct !== null && !l.result.evidence?.shift_pct)
        .sort((a, b) => b.worsePct - a.worsePct);
    let worst = measured[0] ? { name: measured[0].name, pct: measured[0].worsePct } : undefined;
    const stored = section.worst_regression_pct;
    if (lines.length === 0 && !judged && typeof stored === "number") {
        // Only the run's own worst change is known (a summary without results): the threshold applies to it.
        worst = { name: "worst benchmark", pct: stored };
        if (stored > thresholdPct)
            regressions.push(worst);
    }
    const worstRegressionPct = judged
        ? stored !== undefined
            ? stored
            : worstRegression(section.results ?? {})
        : worst?.pct;
    const word = section.verdict ?? (lines.length > 0 ? sectionWord(lines) : undefined);
    // A stored "regression" with no benchmark left to show (a pruned history entry) still fails.
    const failing = regressions.length > 0 || (judged && lines.length === 0 && word === "regression");
    const verdict = section.status === "failed" || (section.status === "passed" && failing) ? "failed" : section.status;
    return {
        ...empty,
        verdict,
        reported: true,
        status: section.status,
        word,
        count: lines.length,
        worst,
        worstRegressionPct,
        regressions,
        tentative,
        improvements,
        lines,
        shifts: section.shifts ?? [],
        ...(section.confirmed !== undefined && { confirmed: section.confirmed }),
        ...(section.judge && { judge: section.judge }),
        durationSeconds: section.duration_seconds,
        reason: section.reason,
    };
}
function causeOf(line) {
    return line.cause ?? { name: line.name, pct: line.worsePct };
}
/** Percent change with "worse" positive: a throughput (bigger is better) that fell is worse. */
function worse(change, direction) {
    if (typeof change !== "number" || !Number.isFinite(change))
        return null;
    return direction === "bigger_is_better" ? -change : change;
}
function judgedLine(name, result, judge) {
    const evidence = result.evidence ?? {};
    const verdict = result.verdict ?? "no_baseline";
    const primary = evidence.time ?? evidence.value;
    const worsePct = primary
        ? worse(primary.change_pct, evidence.time ? "smaller_is_better" : result.direction)
        : worse(result.delta_vs_baseline_pct, result.direction);
    const metric = METRICS.find((m) => evidence[m]?.verdict === verdict);
    const judgement = metric && evidence[metric];
    const cause = metric && (verdict === "regression" || verdict === "improvement")
        ? { name, metric, pct: worse(judgement?.change_pct, "smaller_is_better") }
        : undefined;
    const tentative = verdict === "regression" && evidence.tentative === true;
    const points = evidence.history_points ?? judge?.history_points;
    const missing = typeof judge?.min_history === "number" && typeof points === "number"
        ? judge.min_history - points
        : undefined;
    return {
        name,
        result,
        verdict,
        tentative,
        gating: verdict === "regression" && !tentative,
        worsePct,
        ...(cause && { cause }),
        ...(tentative && missing !== undefined && missing > 0 && { needs: missing }),
    };
}
function thresholdLine(name, result, thresholdPct) {
    const pct = typeof result.delta_vs_baseline_pct === "number" ? result.delta_vs_baseline_pct : null;
    // Without a measured change, the CLI's own regression flag is all there is to go on.
    const regression = pct === null ? result.regression === true : pct > thresholdPct;
    const verdict = regression ? "regression" : pct === null ? "no_baseline" : "unchanged";
    return { name, result, verdict, tentative: false, gating: regression, worsePct: pct };
}
const ORDER = {
    regression: 0,
    improvement: 2,
    unchanged: 3,
    no_baseline: 4,
};
function benchmark_assessment_rank(line) {
    return line.tentative ? 1 : ORDER[line.verdict];
}
/** Failing regressions, tentative ones, improvements, unchanged, no baseline; worst (or best) change first. */
function byImportance(a, b) {
    const r = benchmark_assessment_rank(a) - benchmark_assessment_rank(b);
    if (r !== 0)
        return r;
    const sign = a.verdict === "improvement" ? -1 : 1;
    const pa = a.worsePct ?? sign * -Infinity;
    const pb = b.worsePct ?? sign * -Infinity;
    if (pa !== pb)
        return sign * (pb > pa ? 1 : -1);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function sectionWord(lines) {
    for (const word of ["regression", "improvement", "unchanged"]) {
        if (lines.some((l) => l.verdict === word))
            return word;
    }
    return "no_baseline";
}
/**
 * A few words for a status or a card: "2 regressions, 1 improvement", "1 tentative regression", "unchanged";
 * `short` keeps only the first, most important part (for a badge).
 */
function benchmarksHeadline(b, short = false) {
    if (!b.reported)
        return "not reported";
    const counted = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    const parts = [];
    if (b.regressions.length > 0)
        parts.push(counted(b.regressions.length, "regression"));
    if (b.tentative.length > 0)
        parts.push(counted(b.tentative.length, "tentative regression"));
    if (b.improvements > 0)
        parts.push(counted(b.improvements, "improvement"));
    if (parts.length > 0)
        return short ? parts[0] : parts.join(", ");
    if (b.count === 0)
        return b.word ? VERDICT_WORD[b.word] : b.verdict;
    if (b.lines.every((l) => l.verdict === "no_baseline"))
        return "no baseline yet";
    return b.judged ? "unchanged" : "none past the threshold";
}
/**
 * The run's largest change in words, "" when none was measured. For a judged run a change the judge did not
 * call a regression is said to be within its noise band: a bare "+60%" on a passing run reads as an alarm.
 */
function worstChangeText(b) {
    const worst = b.worst;
    if (!worst || worst.pct === null)
        return "";
    if (!b.judged || b.regressions.some((r) => r.name === worst.name))
        return `worst change ${signed(worst.pct)}`;
    if (b.tentative.some((r) => r.name === worst.name))
        return `worst change ${signed(worst.pct)} (tentative)`;
    return `largest change ${signed(worst.pct)} (within its noise band)`;
}
const VERDICT_WORD = {
    regression: "regression",
    improvement: "improvement",
    unchanged: "unchanged",
    no_baseline: "no baseline",
};
const METRIC_WORD = {
    time: "time",
    value: "value",
    allocs: "allocations",
    memory: "memory",
};
const VERDICT_ICON = {
    regression: "🔴",
    improvement: "🟢",
    unchanged: "⚪",
    no_baseline: "🆕",
};

;// CONCATENATED MODULE: ./.build/src/badges/endpoints.js

const DEFAULT_COVERAGE_THRESHOLDS = { good: 80, fair: 60 };
function endpoint(label, message, color, options) {
    return {
        schemaVersion: 1,
        label: `${options.labelPrefix ?? "HPC"} ${label}`,
        message: message || "unknown",
        color,
        ...(options.style && { style: options.style }),
        ...(options.cacheSeconds !== undefined && {
            cacheSeconds: Math.max(0, Math.round(options.cacheSeconds)),
        }),
    };
}
const STATUS_COLOR = { passed: "brightgreen", failed: "red", skipped: "lightgrey" };
function signedPercent(pct) {
    const rounded = Math.round(pct * 10) / 10;
    return `${rounded > 0 ? "+" : ""}${rounded.toFixed(1)}%`;
}
function testsEndpoint(run, options = {}) {
    const tests = run.tests;
    if (!tests)
        return endpoint("tests", "not run", "lightgrey", options);
    const t = tests.totals;
    let message = tests.status;
    if (t && (t.passed !== undefined || t.failed !== undefined)) {
        const parts = [`${t.passed ?? 0} passed`];
        if (t.failed)
            parts.push(`${t.failed} failed`);
        if (t.errored)
            parts.push(`${t.errored} errored`);
        message = parts.join(", ");
        if (tests.status === "failed" && !t.failed && !t.errored)
            message = `failed, ${message}`;
    }
    return endpoint("tests", message, STATUS_COLOR[tests.status] ?? "lightgrey", options);
}
function benchmarksEndpoint(run, options = {}) {
    const b = benchmark_assessment_assessBenchmarks(run.benchmarks, options);
    if (!b.reported)
        return endpoint("bench", "not run", "lightgrey", options);
    // A judged run says what the judge found; a run without verdicts keeps its worst change.
    const worst = b.worst?.pct;
    const detail = b.judged || b.regressions.length > 0
        ? `, ${benchmarksHeadline(b, true)}`
        : typeof worst === "number"
            ? `, worst ${signedPercent(worst)}`
            : "";
    const color = b.verdict === "passed" && b.tentative.length > 0 ? "yellow" : (STATUS_COLOR[b.verdict] ?? "lightgrey");
    return endpoint("bench", `${b.verdict}${detail}`, color, options);
}
function coverageEndpoint(run, options = {}) {
    const pct = run.coverage?.coverage_percent;
    if (typeof pct !== "number")
        return endpoint("coverage", run.coverage === null ? "not measured" : "unknown", "lightgrey", options);
    const { good, fair } = options.coverage ?? DEFAULT_COVERAGE_THRESHOLDS;
    const color = pct >= good ? "brightgreen" : pct >= fair ? "yellow" : "red";
    return endpoint("coverage", `${(Math.floor(pct * 10) / 10).toFixed(1)}%`, color, options);
}
function regressionEndpoint(run, options = {}) {
    const b = assessBenchmarks(run.benchmarks, options);
    const worst = b.worstRegressionPct;
    if (typeof worst !== "number")
        return endpoint("regression", "no baseline", "lightgrey", options);
    // The colour follows the verdict: red for a regression that fails the run, yellow for a tentative one or
    // (without verdicts) any slowdown, green when the judge found the change within the noise band.
    const color = b.regressions.length > 0
        ? "red"
        : b.tentative.length > 0 || (!b.judged && worst > 0)
            ? "yellow"
            : "brightgreen";
    return endpoint("regression", signedPercent(worst), color, options);
}
/**
 * When the run was made: a date, since Shields and GitHub's image proxy hold a badge for minutes, so "x hours
 * ago" would be wrong when shown. Only the colour depends on `now`: orange once older than `staleAfterSeconds`.
 */
function freshnessEndpoint(run, now, staleAfterSeconds, options = {}) {
    const at = Date.parse(run.generated_at ?? "");
    if (Number.isNaN(at))
        return endpoint("results", "date unknown", "lightgrey", options);
    const day = new Date(at).toISOString().slice(0, 10);
    const stale = (now.getTime() - at) / 1000 > staleAfterSeconds;
    return endpoint("results", day, stale ? "orange" : "blue", options);
}
/** The five badges of a pages folder, by file stem. */
const PAGE_BADGES = (/* unused pure expression or super */ null && (["tests", "benchmarks", "coverage", "regression", "freshness"]));
/** Every badge of a pages folder for the newest run; only freshness depends on `now`. */
function pageEndpoints(run, now, staleAfterSeconds, options = {}) {
    return {
        tests: testsEndpoint(run, options),
        benchmarks: benchmarksEndpoint(run, options),
        coverage: coverageEndpoint(run, options),
        regression: regressionEndpoint(run, options),
        freshness: freshnessEndpoint(run, now, staleAfterSeconds, options),
    };
}
/** The two badges Mycelia's README reads from the root of the results branch. */
function resultsEndpoints(run) {
    return { tests: testsEndpoint(run), benchmarks: benchmarksEndpoint(run) };
}
const PAGE_LABELS = {
    tests: "tests",
    benchmarks: "bench",
    coverage: "coverage",
    regression: "regression",
    freshness: "results",
};
/** The five badges while no run of the default branch has arrived: grey, saying which branch they wait for. */
function awaitingEndpoints(branch, options = {}) {
    const message = `no ${branch} run yet`.slice(0, 60);
    return Object.fromEntries(PAGE_BADGES.map((stem) => [stem, endpoint(PAGE_LABELS[stem], message, "lightgrey", options)]));
}

;// CONCATENATED MODULE: ./.build/src/results-branch/write-run.js
// Writes one run into a checkout of the results branch, in our layout (see DESIGN.md): the commit's
// folder, the root latest-* files, the per-branch pointer, README.md and .nojekyll. A later run of the
// same commit merges into what is there and never erases a section it did not run.











/** A section a run did not actually run (Mycelia writes these as "skipped" with no duration). */
function notRun(section) {
    return !section || (section.status === "skipped" && !section.reason && !section.duration_seconds);
}
/** Merges a new run of a commit into the one already published for it. */
function mergeRuns(previous, next) {
    if (!previous || previous.commit !== next.commit)
        return next;
    const merged = { ...previous, ...next };
    if (notRun(next.tests) && previous.tests)
        merged.tests = previous.tests;
    if (notRun(next.benchmarks) && previous.benchmarks)
        merged.benchmarks = previous.benchmarks;
    if (!next.coverage && previous.coverage)
        merged.coverage = previous.coverage;
    merged.hpc = { ...previous.hpc, ...next.hpc };
    // A section tested in a dirty tree stays so, whatever a later run of the same commit saw.
    if (previous.dirty || next.dirty)
        merged.dirty = true;
    return merged;
}
/** The folders writeRun reads and writes besides root files: a checkout needs only these. */
function runFolders(results) {
    return [results.commit, BRANCH_POINTERS, HISTORY_FOLDER];
}
/**
 * Anyone who can push to the results branch can commit a symbolic link, say `branches` -> ~/.ssh: reading or
 * writing through it would reach the operator's files. Refused, without saying where it points.
 */
async function refuseLinks(dir, paths) {
    for (const path of paths) {
        const link = await linkOnPath(dir, path);
        if (link !== undefined) {
            throw new PublishError(`the results branch holds ${link} as a symbolic link; refused (remove it from the branch)`);
        }
    }
}
function newer(a, b) {
    if (!b)
        return true;
    const ta = Date.parse(a.generated_at ?? "");
    const tb = Date.parse(b.generated_at ?? "");
    if (Number.isNaN(tb))
        return true;
    return Number.isNaN(ta) ? false : ta >= tb;
}
async function writeRun(dir, run, options) {
    const commit = run.results.commit;
    const problems = checkDocument("hpc-results", run.results, "hpc-results.json");
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    await refuseLinks(dir, [
        ...Object.values(COMMIT_FILES).map((name) => `${commit}/${name}`),
        ...Object.values(LATEST_FILES),
        "README.md",
        ".nojekyll",
        ...(run.results.branch
            ? [branchPointer(run.results.branch), historyFile(run.results.branch)]
            : [BRANCH_POINTERS, HISTORY_FOLDER]),
    ]);
    const folder = (0,external_node_path_namespaceObject.join)(dir, commit);
    const previous = (await readValidDocument((0,external_node_path_namespaceObject.join)(folder, COMMIT_FILES.results), "hpc-results"))?.value;
    const results = mergeRuns(previous, run.results);
    delete results.sources;
    await writeJsonAtomic((0,external_node_path_namespaceObject.join)(folder, COMMIT_FILES.results), results);
    if (run.testsSummary)
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(folder, COMMIT_FILES.tests), run.testsSummary);
    if (run.benchmarksSummary)
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(folder, COMMIT_FILES.benchmarks), run.benchmarksSummary);
    if (run.meta)
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(folder, COMMIT_FILES.meta), run.meta);
    const latest = (await readValidDocument((0,external_node_path_namespaceObject.join)(dir, LATEST_FILES.results), "hpc-results"))?.value;
    const isLatest = latest?.commit === commit || newer(results, latest);
    if (isLatest) {
        const endpoints = options.endpoints(results);
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(dir, LATEST_FILES.results), results);
        if (run.meta)
            await writeJsonAtomic((0,external_node_path_namespaceObject.join)(dir, LATEST_FILES.meta), run.meta);
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(dir, LATEST_FILES.tests), endpoints.tests);
        await writeJsonAtomic((0,external_node_path_namespaceObject.join)(dir, LATEST_FILES.benchmarks), endpoints.benchmarks);
        await writeFileAtomic((0,external_node_path_namespaceObject.join)(dir, "README.md"), readme(results, options));
    }
    if (results.branch) {
        const pointer = (0,external_node_path_namespaceObject.join)(dir, branchPointer(results.branch));
        const current = (await readValidDocument(pointer, "hpc-results"))?.value;
        if (current?.commit === commit || newer(results, current))
            await writeJsonAtomic(pointer, results);
    }
    // The fresh run, not the merge: a later tests-only run of the commit adds no second benchmark entry.
    const history = options.historyBranch !== undefined &&
        run.results.branch === options.historyBranch &&
        run.results.benchmarks
        ? await updateHistory(dir, run.results)
        : undefined;
    if (!(0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(dir, ".nojekyll")))
        await (0,promises_namespaceObject.writeFile)((0,external_node_path_namespaceObject.join)(dir, ".nojekyll"), "");
    return { results, latest: isLatest, ...(history && { history }) };
}
function readme(results, options) {
    const raw = options.repository
        ? `https://raw.githubusercontent.com/${options.repository}/${options.branch}`
        : "";
    const badges = raw
        ? [
            `[![HPC tests](https://img.shields.io/endpoint?url=${encodeURIComponent(`${raw}/${LATEST_FILES.tests}`)})](${raw}/${LATEST_FILES.results})`,
            `[![HPC benchmarks](https://img.shields.io/endpoint?url=${encodeURIComponent(`${raw}/${LATEST_FILES.benchmarks}`)})](${raw}/${LATEST_FILES.results})`,
            "",
        ]
        : [];
    return [
        "# HPC CI results",
        "",
        ...badges,
        "Written by hpc-ci. Each run is in a folder named by the tested commit; the root `latest-*` files describe the",
        `newest run, and \`${BRANCH_POINTERS}/\` holds the newest run of each source branch. Logs stay on the cluster.`,
        "",
        `Newest run: \`${results.commit}\` (${results.generated_at ?? "time unknown"}).`,
        "",
        "| File | What it is |",
        "| --- | --- |",
        `| \`${LATEST_FILES.results}\` | The newest run (schema_version 1) |`,
        `| \`${LATEST_FILES.tests}\`, \`${LATEST_FILES.benchmarks}\` | Shields endpoint badges |`,
        `| \`${LATEST_FILES.meta}\` | Provenance of the newest run |`,
        `| \`<sha>/hpc-results.json\`, \`tests.json\`, \`benchmarks.json\`, \`meta.json\` | One run and its summaries |`,
        "",
    ].join("\n");
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: ./.build/src/github/proxy.js

function proxyFor(target, env) {
    if (bypassed(target.hostname, env.no_proxy ?? env.NO_PROXY ?? ""))
        return undefined;
    const raw = target.protocol === "https:"
        ? (env.https_proxy ?? env.HTTPS_PROXY)
        : // curl ignores HTTP_PROXY in upper case (a CGI could set it from a request header).
            env.http_proxy;
    if (!raw)
        return undefined;
    try {
        return new URL(raw.includes("://") ? raw : `http://${raw}`);
    }
    catch {
        return undefined;
    }
}
function bypassed(host, noProxy) {
    const name = host.toLowerCase().replace(/^\[|\]$/g, "");
    return noProxy
        .split(/[\s,]+/)
        .map((entry) => entry
        .trim()
        .toLowerCase()
        .replace(/:\d+$/, "")
        .replace(/^\*?\./, ""))
        .some((entry) => entry === "*" || (entry !== "" && (name === entry || name.endsWith(`.${entry}`))));
}
/** A socket to `target`'s host and port through `proxy`; rejects with the proxy's answer when it refuses. */
function openTunnel(proxy, target, timeoutMs) {
    const port = target.port || (target.protocol === "https:" ? "443" : "80");
    const authority = `${target.hostname}:${port}`;
    const auth = proxy.username
        ? {
            "Proxy-Authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}`,
        }
        : {};
    return new Promise((resolve, reject) => {
        const req = (0,external_node_http_namespaceObject.request)({
            host: proxy.hostname,
            port: proxy.port || 80,
            method: "CONNECT",
            path: authority,
            headers: { Host: authority, ...auth },
            agent: false,
        });
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`the proxy ${proxy.host} did not answer`)));
        req.on("connect", (res, socket) => {
            if (res.statusCode === 200)
                resolve(socket);
            else {
                socket.destroy();
                reject(new Error(`the proxy ${proxy.host} refused the tunnel (${res.statusCode})`));
            }
        });
        req.on("error", (e) => reject(new Error(`the proxy ${proxy.host}: ${e.message}`)));
        req.end();
    });
}

;// CONCATENATED MODULE: ./.build/src/github/cluster-api.js
// GitHub's REST API from the cluster: one request over node:http(s), with a timeout, through the proxy
// the environment names (as git's), no dependency (the CLI is one file that starts fast), the token in a
// header only. Used by `doctor` and by the repository_dispatch after a publish: one way to do it.





const DEFAULT_API_URL = "https://api.github.com";
const cluster_api_USER_AGENT = "hpc-ci";
const API_VERSION = "2022-11-28";
/** No answer at all: the host is unknown, refused, unreachable, or silent for too long. */
class UnreachableError extends Error {
    url;
    reason;
    name = "UnreachableError";
    constructor(url, reason) {
        super(`could not reach ${new URL(url).origin}: ${reason}`);
        this.url = url;
        this.reason = reason;
    }
}
async function httpCall(url, init = {}) {
    const target = new URL(url);
    const https = target.protocol === "https:";
    const timeoutMs = init.timeoutMs ?? 10_000;
    const started = Date.now();
    const proxy = proxyFor(target, init.env ?? process.env);
    let tunnel;
    if (proxy) {
        try {
            tunnel = await openTunnel(proxy, target, timeoutMs);
        }
        catch (error) {
            throw new UnreachableError(url, error.message);
        }
    }
    const through = tunnel && {
        agent: false,
        createConnection: () => (https ? (0,external_node_tls_namespaceObject.connect)({ socket: tunnel, servername: target.hostname }) : tunnel),
    };
    return new Promise((resolve, reject) => {
        const req = (https ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request)(target, {
            ...through,
            method: init.method ?? "GET",
            headers: {
                "User-Agent": cluster_api_USER_AGENT,
                ...init.headers,
                ...(init.body !== undefined && { "Content-Length": String(Buffer.byteLength(init.body)) }),
            },
        }, (res) => {
            const localTime = new Date((started + Date.now()) / 2);
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("error", (e) => reject(new UnreachableError(url, e.message)));
            res.on("end", () => {
                // A tunnel is ours alone: no agent would ever reuse or close it.
                tunnel?.destroy();
                const headers = flatHeaders(res.headers);
                const date = headers.date ? new Date(headers.date) : undefined;
                resolve({
                    status: res.statusCode ?? 0,
                    headers,
                    text: Buffer.concat(chunks).toString("utf8"),
                    ...(date && !Number.isNaN(date.getTime()) && { date }),
                    localTime,
                });
            });
        });
        req.setTimeout(timeoutMs, () => req.destroy(new UnreachableError(url, `no answer within ${Math.round(timeoutMs / 100) / 10}s`)));
        req.on("error", (e) => {
            tunnel?.destroy();
            reject(e instanceof UnreachableError ? e : new UnreachableError(url, describeNetworkError(e)));
        });
        req.end(init.body);
    });
}
/** A call of GitHub's REST API under `apiUrl` (GITHUB_API_URL: GitHub Enterprise Server works too). */
function apiCall(apiUrl, path, token, init = {}) {
    return httpCall(`${apiUrl.replace(/\/+$/, "")}${path}`, {
        ...init,
        headers: {
            Accept: "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            ...(token && { Authorization: `Bearer ${token}` }),
            ...(init.body !== undefined && { "Content-Type": "application/json" }),
        },
    });
}
/** GITHUB_API_URL, else the API of the results remote's own server, else api.github.com. */
function apiUrlOf(env, remote) {
    return (env.GITHUB_API_URL || (remote && apiUrlForRemote(remote)) || DEFAULT_API_URL).replace(/\/+$/, "");
}
/** GitHub's own words in an error answer ({"message": ...}), or the first line of the text. */
function answerMessage(answer) {
    try {
        const message = JSON.parse(answer.text).message;
        if (typeof message === "string")
            return message.slice(0, 300);
    }
    catch {
        // Not JSON.
    }
    return answer.text.trim().split("\n")[0]?.slice(0, 300) ?? "";
}
function flatHeaders(headers) {
    const out = {};
    for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined)
            out[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return out;
}
function describeNetworkError(e) {
    const host = e.hostname;
    if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN")
        return `the host ${host ?? ""} is unknown (${e.code})`;
    return e.code ? `${e.code} (${e.message})` : e.message;
}

;// CONCATENATED MODULE: ./.build/src/github/dispatch.js
// Asking GitHub to process what the cluster just pushed: a repository_dispatch event (POST
// /repos/{owner}/{repo}/dispatches), which runs the workflow files of the default branch. A push to the
// orphan results branch starts nothing by itself (GitHub runs a push's workflows from the pushed tree).
// Best effort by design: the scheduled catch-up processes whatever a lost dispatch left, so every failure
// here is a reason for a warning, never an exception. The token goes in a header, never in a URL or a log.

const DISPATCH_EVENT_TYPE = "hpc-results";
/** GitHub refuses a client_payload of 64 KB or more; 100 commits of 41 bytes stay far below. */
const MAX_COMMITS = 100;
async function sendDispatch(request) {
    const body = JSON.stringify({
        event_type: DISPATCH_EVENT_TYPE,
        client_payload: { results_commit: request.resultsCommit, commits: request.commits.slice(0, MAX_COMMITS) },
    });
    try {
        const answer = await apiCall(request.apiUrl, `/repos/${request.repository}/dispatches`, request.token, {
            method: "POST",
            body,
            timeoutMs: request.timeoutMs ?? 5_000,
        });
        if (answer.status === 204 || answer.status === 200)
            return { ok: true };
        return { ok: false, reason: refusal(answer.status, answerMessage(answer), request.repository) };
    }
    catch (error) {
        if (error instanceof UnreachableError)
            return { ok: false, reason: error.message };
        // new URL() refuses a malformed GITHUB_API_URL before anything is sent.
        return { ok: false, reason: `GITHUB_API_URL is not a URL (${error.message.slice(0, 200)})` };
    }
}
function refusal(status, message, repository) {
    const said = message ? `: ${message.slice(0, 200)}` : "";
    if (status === 401)
        return `GitHub refused the token (401${said}); HPC_RESULTS_TOKEN is wrong or expired`;
    if (status === 403 || status === 404)
        return `GitHub answered ${status}${said}; the token needs Contents: write on ${repository} (a fine-grained token for that repository), and the repository must exist`;
    return `GitHub answered ${status}${said}`;
}

;// CONCATENATED MODULE: ./.build/src/run/publish.js
// Publishing a run to the results branch: small JSON only, safe when many jobs push at once.














async function publishToBranch(run, target, log) {
    const remote = await resultsRemote(target.root, target.remote, target.token);
    await refuseDefaultBranch(remote, target.branch);
    const { url, token } = remote;
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "hpc-ci-publish-"));
    try {
        const result = await publishWithRetry({
            remote: url,
            branch: target.branch,
            dir,
            push: target.push,
            maxAttempts: target.attempts,
            env: tokenEnvironment(url, token),
            message: `hpc-ci: results for ${run.results.commit}`,
            sparse: runFolders(run.results),
            log: (m) => log.info(m),
            apply: async (checkout) => {
                const outcome = await writeRun(checkout, run, {
                    endpoints: resultsEndpoints,
                    repository: target.repository,
                    branch: target.branch,
                    historyBranch: target.historyBranch,
                });
                if (outcome.history)
                    log.info(`benchmarks: ${outcome.history}`);
            },
        });
        if (!target.push && result.changed)
            log.info(`prepared ${target.branch} without pushing (--no-push)`);
        if (result.pushed && result.commit)
            await askToProcess({ ...target, token }, url, result.commit, [run.results.commit], log);
        return result;
    }
    finally {
        if (target.push)
            await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
        else
            log.info(`the prepared checkout is in ${dir} (sparse: root files and ${runFolders(run.results).join("/, ")}/; git ls-files lists all)`);
    }
}
/**
 * With a token, asks GitHub to process the push now (repository_dispatch to the default branch's workflow);
 * without one, the scheduled catch-up will. A failure is a warning: the run is on the branch either way.
 */
async function askToProcess(target, url, resultsCommit, commits, log) {
    if (!target.token) {
        log.info("no HPC_RESULTS_TOKEN: GitHub processes this run at its next scheduled catch-up");
        return;
    }
    const repository = target.repository ?? repositoryOfRemote(url);
    if (!repository) {
        log.warn("cannot tell the GitHub repository from the results remote, so GitHub was not asked to process this run now (set HPC_RESULTS_REPOSITORY_SLUG=owner/name); the scheduled catch-up will");
        return;
    }
    const apiUrl = target.apiUrl ?? apiUrlForRemote(url) ?? DEFAULT_API_URL;
    const outcome = await sendDispatch({ apiUrl, repository, token: target.token, resultsCommit, commits });
    if (outcome.ok)
        log.info(`asked GitHub to process ${resultsCommit.slice(0, 12)} (repository_dispatch hpc-results to ${repository})`);
    else
        log.warn(`could not ask GitHub to process this run now (repository_dispatch to ${repository}): ${outcome.reason}; the run is on ${target.branch} and the scheduled catch-up will process it`);
}
/** Where the settings say results go; a command line may override the remote, branch and push. */
function publishTarget(settings, overrides = {}) {
    return {
        historyBranch: settings.benchmarks.baselineBranch,
        remote: settings.results.repoUrl ?? settings.results.remote,
        branch: settings.results.branch,
        root: settings.root,
        repository: settings.results.repository,
        push: true,
        token: settings.results.token,
        apiUrl: settings.results.apiUrl,
        attempts: settings.results.attempts,
        ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
    };
}
/** The `run` command's publish step: false (exit 3) when it failed. */
async function publishRun(ctx, run) {
    const { settings, log } = ctx;
    try {
        const historyBranch = await baselineBranch(settings);
        const token = await resultsToken(settings);
        await publishToBranch(run, publishTarget(settings, { historyBranch, token }), log);
        return true;
    }
    catch (error) {
        // A destination the operator must fix (plain http with a credential, the default branch): exit 2.
        if (error instanceof ConfigError)
            throw error;
        log.error(`publishing to ${settings.results.branch} failed: ${error instanceof Error ? error.message : String(error)}`);
        return false;
    }
}

;// CONCATENATED MODULE: ./.build/src/provenance/durations.js
// Durations as batch schedulers write them, and as we write them for people.
//
// Slurm (src/common/parse_time.c): time limits are given as "minutes", "minutes:seconds",
// "hours:minutes:seconds", "days-hours", "days-hours:minutes" or "days-hours:minutes:seconds", and squeue
// prints "M:SS" below an hour, "H:MM:SS" below a day, "D-HH:MM:SS" above; "UNLIMITED" (or "INFINITE")
// for no limit, "NOT_SET" and "INVALID" when there is nothing meaningful to print.
// PBS/Torque (qstat -f): "[[hours:]minutes:]seconds", hours unbounded; a bare number is seconds.
/** Seconds, Infinity for an unlimited time, undefined when the text says nothing usable. */
function parseSlurmTime(text) {
    const t = (text ?? "").trim();
    if (/^(?:UNLIMITED|INFINITE)$/i.test(t))
        return Number.POSITIVE_INFINITY;
    const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
    if (!m)
        return undefined;
    const [, days, a, b, c] = m;
    const n = (s) => (s === undefined ? 0 : Number(s));
    let seconds;
    if (days !== undefined)
        seconds = n(days) * 86400 + n(a) * 3600 + n(b) * 60 + n(c); // D-H[:M[:S]]
    else if (c !== undefined)
        seconds = n(a) * 3600 + n(b) * 60 + n(c); // H:M:S
    else if (b !== undefined)
        seconds = n(a) * 60 + n(b); // M:S
    else
        seconds = n(a) * 60; // M
    return Number.isSafeInteger(seconds) ? seconds : undefined;
}
/** PBS's "[[hours:]minutes:]seconds[.fraction]" in whole seconds, or undefined. */
function parsePbsTime(text) {
    const m = /^(?:(?:(\d+):)?(\d+):)?(\d+)(?:\.\d+)?$/.exec((text ?? "").trim());
    if (!m)
        return undefined;
    const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
}
/** "45s", "9m", "9m30s", "2h", "1h30m", "3d4h": the two largest units, rounded down. */
function formatDuration(seconds) {
    if (!Number.isFinite(seconds))
        return "unlimited";
    let rest = Math.max(0, Math.floor(seconds));
    const parts = [];
    for (const [unit, size] of [
        ["d", 86400],
        ["h", 3600],
        ["m", 60],
        ["s", 1],
    ]) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0 || (parts.length > 0 && parts.length < 2))
            parts.push(`${n}${unit}`);
        if (parts.length === 2)
            break;
    }
    // "1h0m" reads worse than "1h".
    const text = parts.filter((p, i) => i === 0 || !p.startsWith("0")).join("");
    return text === "" ? "0s" : text;
}

;// CONCATENATED MODULE: ./.build/src/provenance/detect.js
// Where a run ran: the batch scheduler's job, read from the variables every scheduler sets in a job's
// environment, plus one cheap query for the time limit where the environment does not carry it.
// Schedulers are tried in order Slurm, PBS/Torque, LSF, Flux: a Flux instance started inside a Slurm
// allocation lives within the Slurm job's limits. GitLab CI (with Jacamar, a job of a batch scheduler
// that also carries the CI_* variables) adds the pipeline; a GitLab job outside any batch job is the
// "gitlab" scheduler, and anything else is "local".




const MAX_TEXT = 4096;
const QUERY_TIMEOUT_MS = 15_000;
// `flux job timeleft` prints UINT_MAX (or more) for a job without a time limit.
const FLUX_UNLIMITED = 4294967295;
/** `execFile` with a timeout, no shell, and stdout as the answer. */
const detect_defaultRunner = (command, args) => new Promise((resolve, reject) => {
    (0,external_node_child_process_namespaceObject.execFile)(command, args, { timeout: QUERY_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout) => {
        if (error)
            reject(error);
        else
            resolve(stdout);
    });
});
/** The scheduler, job and allocation this process runs in. Queries that fail are left out, never thrown. */
async function detectProvenance(env, run = detect_defaultRunner, options = {}) {
    const now = options.now ?? new Date();
    const get = (name) => detect_text(env[name]);
    const ask = async (command, args) => {
        try {
            return await run(command, args);
        }
        catch {
            return undefined;
        }
    };
    let p;
    let times = {};
    if (get("SLURM_JOB_ID") ?? get("SLURM_JOBID")) {
        const jobId = (get("SLURM_JOB_ID") ?? get("SLURM_JOBID"));
        p = {
            scheduler: "slurm",
            job_id: jobId,
            cluster: get("SLURM_CLUSTER_NAME"),
            node: get("SLURMD_NODENAME"),
            partition: get("SLURM_JOB_PARTITION"),
            account: get("SLURM_JOB_ACCOUNT"),
            nodes: detect_count(get("SLURM_JOB_NUM_NODES") ?? get("SLURM_NNODES")),
            cpus: cpusPerNode(get("SLURM_JOB_CPUS_PER_NODE")) ?? detect_count(get("SLURM_CPUS_ON_NODE")),
        };
        times =
            slurmTimesFromEnv(env, now) ?? slurmTimes(await ask("squeue", ["-h", "-j", jobId, "-o", "%l|%L|%M"]));
    }
    else if (get("PBS_JOBID")) {
        const jobId = get("PBS_JOBID");
        const nodefile = get("PBS_NODEFILE");
        const hosts = nodefile ? await readHosts(nodefile, options.readFile) : undefined;
        p = {
            scheduler: "pbs",
            job_id: jobId,
            cluster: get("PBS_SERVER"),
            partition: get("PBS_QUEUE") ?? get("PBS_O_QUEUE"),
            account: get("PBS_ACCOUNT"),
            nodes: detect_count(get("PBS_NUM_NODES")) ?? (hosts ? new Set(hosts).size : undefined),
            cpus: detect_count(get("PBS_NP")) ?? hosts?.length,
        };
        times = pbsTimes(await ask("qstat", ["-f", jobId]));
    }
    else if (get("LSB_JOBID")) {
        const hosts = lsfHosts(get("LSB_MCPU_HOSTS"), get("LSB_HOSTS"));
        p = {
            scheduler: "lsf",
            job_id: get("LSB_JOBID"),
            partition: get("LSB_QUEUE"),
            account: get("LSB_PROJECT_NAME"),
            nodes: hosts?.nodes,
            cpus: hosts?.cpus,
        };
    }
    else if (get("FLUX_JOB_ID") || get("FLUX_URI")) {
        // In a `flux batch` script the instance is the job: FLUX_JOB_ID is unset, the instance knows its id.
        const jobId = get("FLUX_JOB_ID") ?? detect_text(await ask("flux", ["getattr", "jobid"]));
        p = {
            scheduler: "flux",
            job_id: jobId,
            nodes: detect_count(get("FLUX_JOB_NNODES") ?? detect_text(await ask("flux", ["getattr", "size"]))),
        };
        const left = detect_count(detect_text(await ask("flux", ["job", "timeleft"])));
        if (left !== undefined)
            times = { left: left >= FLUX_UNLIMITED ? Number.POSITIVE_INFINITY : left };
    }
    else if (get("CI_JOB_ID")) {
        p = { scheduler: "gitlab", job_id: get("CI_JOB_ID"), cluster: get("CI_RUNNER_DESCRIPTION") };
    }
    else {
        p = { scheduler: "local" };
    }
    p.node ??= detect_text(options.hostname ?? (0,external_node_os_namespaceObject.hostname)());
    p.cluster = get("HPC_CLUSTER_NAME") ?? p.cluster;
    if (get("CI_PIPELINE_ID"))
        p.pipeline_id = get("CI_PIPELINE_ID");
    if (times.limit !== undefined && Number.isFinite(times.limit))
        p.time_limit_seconds = times.limit;
    if (times.elapsed !== undefined)
        p.walltime_seconds = times.elapsed;
    if (times.left !== undefined && Number.isFinite(times.left)) {
        p.job_end_time = new Date(now.getTime() + times.left * 1000).toISOString();
    }
    return detect_dropUndefined(p);
}
// Slurm 23.02 and later put the job's start and end (epoch seconds) in its environment.
function slurmTimesFromEnv(env, now) {
    const end = detect_count(detect_text(env.SLURM_JOB_END_TIME));
    if (end === undefined)
        return undefined;
    const start = detect_count(detect_text(env.SLURM_JOB_START_TIME));
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const times = { left: Math.max(0, end - nowSeconds) };
    if (start !== undefined && end >= start) {
        times.limit = end - start;
        times.elapsed = Math.max(0, nowSeconds - start);
    }
    return times;
}
/** squeue's "%l|%L|%M": time limit, time left, time used. */
function slurmTimes(output) {
    const [limitText, leftText, usedText] = (output ?? "").trim().split("\n")[0]?.split("|") ?? [];
    const limit = parseSlurmTime(limitText);
    let left = parseSlurmTime(leftText);
    const elapsed = parseSlurmTime(usedText);
    if (left === undefined && limit === Number.POSITIVE_INFINITY)
        left = limit;
    if (left === undefined && limit !== undefined && elapsed !== undefined)
        left = Math.max(0, limit - elapsed);
    return { limit, left, elapsed: elapsed !== undefined && Number.isFinite(elapsed) ? elapsed : undefined };
}
/** `qstat -f`'s Resource_List.walltime (the limit) and resources_used.walltime (used so far). */
function pbsTimes(output) {
    const field = (name) => new RegExp(`^\\s*${name.replace(/\./g, "\\.")}\\s*=\\s*(\\S+)`, "m").exec(output ?? "")?.[1];
    const limit = parsePbsTime(field("Resource_List.walltime"));
    const elapsed = parsePbsTime(field("resources_used.walltime"));
    const left = limit !== undefined ? Math.max(0, limit - (elapsed ?? 0)) : undefined;
    return { limit, elapsed, left };
}
/** SLURM_JOB_CPUS_PER_NODE, e.g. "72(x2),36": CPUs per node with repeat counts, summed. */
function cpusPerNode(value) {
    if (!value)
        return undefined;
    let total = 0;
    for (const part of value.split(",")) {
        const m = /^\s*(\d+)(?:\(x(\d+)\))?\s*$/.exec(part);
        if (!m)
            return undefined;
        total += Number(m[1]) * Number(m[2] ?? 1);
    }
    return Number.isSafeInteger(total) ? total : undefined;
}
/** LSB_MCPU_HOSTS ("hostA 4 hostB 2") or else LSB_HOSTS ("hostA hostA hostB", one name per slot). */
function lsfHosts(mcpu, hosts) {
    const words = (mcpu ?? "").trim().split(/\s+/).filter(Boolean);
    if (words.length >= 2 && words.length % 2 === 0) {
        let cpus = 0;
        for (let i = 1; i < words.length; i += 2) {
            const n = detect_count(words[i]);
            if (n === undefined)
                return undefined;
            cpus += n;
        }
        return { nodes: new Set(words.filter((_, i) => i % 2 === 0)).size, cpus };
    }
    const slots = (hosts ?? "").trim().split(/\s+/).filter(Boolean);
    return slots.length > 0 ? { nodes: new Set(slots).size, cpus: slots.length } : undefined;
}
/** PBS_NODEFILE: one host name per line, once per slot. */
async function readHosts(path, read) {
    try {
        const body = read ? await read(path) : await (0,promises_namespaceObject.readFile)(path, "utf8");
        return body
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean);
    }
    catch {
        return undefined;
    }
}
function detect_text(value) {
    const t = value?.trim();
    if (!t || t === "(null)")
        return undefined;
    return t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t;
}
function detect_count(value) {
    if (value === undefined || !/^\d{1,15}$/.test(value.trim()))
        return undefined;
    return Number(value.trim());
}
function detect_dropUndefined(value) {
    for (const key of Object.keys(value)) {
        if (value[key] === undefined)
            delete value[key];
    }
    return value;
}

;// CONCATENATED MODULE: ./.build/src/provenance/versions.js
// Versions of the runtimes a run used, for the contract's runtime_versions and julia_version.

/** "julia version 1.10.10" → "1.10.10" (pre-releases and builds kept: "1.12.0-rc1", "1.11.0-DEV.123"). */
function parseJuliaVersion(output) {
    return /\bjulia version (\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)/i.exec(output)?.[1];
}
/** The version `julia --version` reports, or undefined when it cannot be run or says something else. */
async function juliaVersion(run = detect_defaultRunner, julia = "julia") {
    try {
        return parseJuliaVersion(await run(julia, ["--version"]));
    }
    catch {
        return undefined;
    }
}
function nodeVersion() {
    return process.versions.node;
}
/** `{ node, julia? }`: julia only when it answers. */
async function runtimeVersions(run = defaultRunner, julia = "julia") {
    const versions = { node: nodeVersion() };
    const jl = await juliaVersion(run, julia);
    if (jl)
        versions.julia = jl;
    return versions;
}

;// CONCATENATED MODULE: ./.build/src/provenance/walltime.js

/** Seconds left before the job's time limit at `now`; undefined when unlimited or unknown. */
function timeLeftSeconds(provenance, now = Date.now()) {
    if (!provenance.job_end_time)
        return undefined;
    const end = Date.parse(provenance.job_end_time);
    if (Number.isNaN(end))
        return undefined;
    const at = typeof now === "number" ? now : now.getTime();
    return Math.max(0, Math.floor((end - at) / 1000));
}
function shouldSkipBenchmarks({ timeLeftSeconds: left, reserveSeconds, timeLimitSeconds, }) {
    if (!Number.isFinite(reserveSeconds) || reserveSeconds < 0) {
        throw new RangeError(`the walltime reserve must be a number of seconds >= 0, not ${reserveSeconds}`);
    }
    if (left === undefined || !Number.isFinite(left) || left >= reserveSeconds)
        return { skip: false };
    const of = timeLimitSeconds !== undefined && Number.isFinite(timeLimitSeconds)
        ? ` of the job's ${formatDuration(timeLimitSeconds)} limit`
        : "";
    return {
        skip: true,
        reason: `only ${formatDuration(left)} left${of}, below the ${formatDuration(reserveSeconds)} reserve`,
    };
}

;// CONCATENATED MODULE: ./.build/src/provenance/index.js






;// CONCATENATED MODULE: ./.build/src/run/provenance-phase.js


async function describeProvenance(ctx) {
    const { settings } = ctx;
    const env = { ...ctx.env, ...(settings.cluster && { HPC_CLUSTER_NAME: settings.cluster }) };
    const detected = await detectProvenance(env);
    const julia = await juliaVersion();
    const runtime_versions = { node: process.versions.node, ...(julia && { julia }) };
    const { job_end_time: _end, ...where } = detected;
    // The threads the benchmarks get: their environment over the run's over the job's.
    const machine = detectMachine({ ...ctx.env, ...settings.env, ...settings.benchmarks.env });
    const hpc = {
        ...where,
        ...machine,
        ...(julia && { julia_version: julia }),
        runtime_versions,
    };
    hpc.cluster ??= "unknown";
    hpc.job_id ??= "";
    const tag = (await git(settings.root, ["describe", "--tags", "--exact-match", "HEAD"]).catch(() => "")).trim() ||
        undefined;
    const { runtime_versions: _versions, julia_version: _julia, ...rest } = hpc;
    const meta = { ...rest, runtime_versions };
    const summary = [
        `${hpc.scheduler ?? "local"} on ${hpc.cluster}`,
        hpc.partition && `partition ${hpc.partition}`,
        hpc.job_id && `job ${hpc.job_id}`,
        hpc.node && `node ${hpc.node}`,
        julia && `julia ${julia}`,
    ]
        .filter(Boolean)
        .join(", ");
    return {
        hpc,
        meta,
        tag,
        summary,
        benchmarkGuard: (now, reserveSeconds) => shouldSkipBenchmarks({
            timeLeftSeconds: timeLeftSeconds(detected, now),
            reserveSeconds,
            timeLimitSeconds: detected.time_limit_seconds,
        }),
    };
}

;// CONCATENATED MODULE: ./.build/src/git/commit-state.js
// Whether a tested commit is the commit others can see: the work tree holds nothing beyond it, and a
// remote has it.




/**
 * Paths of the work tree that differ from `commit`: tracked files changed (staged or not) and untracked
 * files git does not ignore (an untracked folder as one entry), limited by `pathspecs` (git's magic
 * pathspecs, such as `:(exclude,literal)hpc-ci`).
 */
async function changedPaths(root, commit, pathspecs) {
    const pathspec = ["--", ".", ...pathspecs];
    const [tracked, untracked] = await Promise.all([
        git(root, ["diff", "--name-only", "--no-renames", commit, ...pathspec]),
        git(root, [
            "ls-files",
            "--others",
            "--exclude-standard",
            "--directory",
            "--no-empty-directory",
            ...pathspec,
        ]),
    ]);
    return [...new Set(`${tracked}\n${untracked}`.split("\n").filter(Boolean))];
}
/**
 * Whether the repository at `url` has `commit`, asked of the server itself: fetch that one commit into a
 * throwaway repository. Protocol v2 serves any object the server has; `--filter=tree:0` keeps the transfer
 * to the commit object where the server allows filters (GitHub does). Throws GitError when the remote
 * cannot be asked (unreachable, refused, or an old server that only serves advertised tips).
 */
async function remoteHasCommit(url, commit, env, timeoutMs) {
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "hpc-ci-pushed-"));
    try {
        await git(dir, ["init", "-q"], env);
        await git(dir, ["fetch", "-q", "--no-tags", "--depth=1", "--filter=tree:0", url, commit], env, {
            timeoutMs,
        });
        return true;
    }
    catch (error) {
        if (error instanceof GitError && /not our ref/i.test(error.stderr))
            return false;
        throw error;
    }
    finally {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./.build/src/run/commit-state.js
// Before testing: is what we test the commit others will see? A work tree with changes (dirty) or a
// commit the results remote does not have (not pushed) is tested all the same, with a warning, and
// recorded in the results so that the pull-request comment can say so. Unknown stays unrecorded.






const REMOTE_TIMEOUT_MS = 30_000;
/** Julia writes `<file>.jl.<pid>.cov` beside each source when it measures coverage. */
const JULIA_COVERAGE = ":(exclude,glob)**/*.jl.*.cov";
/** Pathspecs leaving out what the run itself writes inside the repository: never a change to the commit. */
function runOutputs(ctx) {
    const { settings } = ctx;
    const inside = [
        settings.resultsDir,
        settings.coverage.lcov,
        settings.tests.junit,
        settings.benchmarks.resultsFile,
        ...settings.benchmarks.results.map((s) => s.path),
    ]
        .filter((p) => p !== undefined)
        .map((p) => (0,external_node_path_namespaceObject.relative)(settings.root, p))
        .filter((p) => p && !p.startsWith(".."));
    // Benchmark results may be named by a glob; git's glob pathspec reads `*`, `?` and `**` the same way.
    return [...inside.map((p) => `:(exclude,${hasWildcard(p) ? "glob" : "literal"})${p}`), JULIA_COVERAGE];
}
async function describeCommitState(ctx, commit) {
    const [dirty, pushed] = await Promise.all([isDirty(ctx, commit), isPushed(ctx, commit)]);
    return { ...(dirty !== undefined && { dirty }), ...(pushed !== undefined && { pushed }) };
}
async function isDirty(ctx, commit) {
    const short = commit.slice(0, 12);
    try {
        const changed = await changedPaths(ctx.settings.root, commit, runOutputs(ctx));
        if (changed.length === 0)
            return false;
        const shown = changed.slice(0, 5).join(", ") + (changed.length > 5 ? `, and ${changed.length - 5} more` : "");
        ctx.log.warn(`the work tree differs from ${short} in ${changed.length} path(s): ${shown}; the results will say dirty: true (commit, stash, or add them to .gitignore)`);
        return true;
    }
    catch (error) {
        ctx.log.warn(`cannot tell whether the work tree matches ${short}: ${errorText(error)}`);
        return undefined;
    }
}
async function isPushed(ctx, commit) {
    const { settings } = ctx;
    const short = commit.slice(0, 12);
    try {
        const { url, token } = await settingsRemote(settings);
        const env = tokenEnvironment(url, token, ctx.env);
        const has = await remoteHasCommit(url, commit, env, REMOTE_TIMEOUT_MS);
        if (!has)
            ctx.log.warn(`${redactUrls(url)} does not have ${short}: nobody else can check out what was tested; push it (the results will say pushed: false)`);
        return has;
    }
    catch (error) {
        ctx.log.warn(`cannot tell whether the results remote has ${short}: ${errorText(error)}`);
        return undefined;
    }
}
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./.build/src/run/run.js
// The `run` command: test with coverage, benchmark, upload coverage, write the results, publish.
// Every phase is timed and its failure is contained: the results are written whatever happens.






















/** The environment of test and benchmark commands: what the job was given, less the credentials. */
function childEnvironment(ctx, commit, branch) {
    const env = { ...ctx.env };
    for (const name of SECRET_VARIABLES)
        delete env[name];
    return {
        ...env,
        JULIA_NUM_THREADS: ctx.env.JULIA_NUM_THREADS || "auto",
        ...ctx.settings.env,
        HPC_CI_COMMIT: commit,
        HPC_CI_BRANCH: branch,
        HPC_RESULTS_DIR: ctx.settings.resultsDir,
        ...(ctx.mode.shard && {
            HPC_CI_SHARD_INDEX: String(ctx.mode.shard.index),
            HPC_CI_SHARD_COUNT: String(ctx.mode.shard.count),
        }),
    };
}
/** The results of an earlier run in this results directory, only when they are for this commit. */
async function earlierRun(paths, commit, log) {
    const previous = await readValidDocument(paths.results, "hpc-results");
    if (!previous)
        return undefined;
    if (previous.value?.commit === commit)
        return previous.value;
    // Another commit's (or an unreadable) result: nothing of it may be reused.
    log.info(`discarding earlier results in ${paths.dir}: they are not for ${commit}`);
    for (const stale of [
        paths.results,
        paths.lcov,
        paths.coverageSummary,
        paths.testsSummary,
        paths.benchmarksSummary,
        paths.meta,
    ]) {
        await (0,promises_namespaceObject.rm)(stale, { force: true });
    }
    return undefined;
}
/** Tests without a command to run them: a configuration mistake (also said by `submit`, before queueing). */
function requireTestCommand(settings, mode) {
    if (mode.tests && !mode.uploadOnly && settings.tests.origin === "none") {
        throw new ConfigError(`${settings.root} is not a Julia package (no Project.toml) and .hpc-ci.json has no tests.command: add {"tests": {"command": "<how to run your tests>"}} to .hpc-ci.json, or run --benchmarks-only`);
    }
}
/** Commands that cannot even start are a configuration mistake, said before anything runs. */
function preflight(ctx) {
    const { settings, mode, env } = ctx;
    const check = (command, what, where) => {
        if (!canRun(command, env)) {
            const program = Array.isArray(command) ? command[0] : command;
            throw new ConfigError(`${program} not found on PATH: the ${what} command cannot run (${where})`);
        }
    };
    requireTestCommand(settings, mode);
    if (mode.tests && !mode.uploadOnly)
        check(settings.tests.command, "test", "tests.command in .hpc-ci.json");
    if (mode.benchmarks !== "off" && !mode.uploadOnly) {
        for (const command of settings.benchmarks.commands)
            check(command, "benchmark", "benchmarks.commands in .hpc-ci.json");
    }
}
/**
 * Token files are checked now and read after the tests. A token in the environment is in this
 * process's /proc/<pid>/environ (and its parents'), which the code under test may read: said, not refused.
 */
async function credentialPreflight(ctx) {
    const { settings, mode, env, log } = ctx;
    const uploads = mode.codecov && settings.coverage.codecov;
    if (mode.publish && settings.results.tokenFile)
        await checkTokenFile(settings.results.tokenFile, TOKEN_FILES.HPC_RESULTS_TOKEN);
    if (uploads && settings.codecovTokenFile)
        await checkTokenFile(settings.codecovTokenFile, TOKEN_FILES.CODECOV_TOKEN);
    if (mode.uploadOnly)
        return;
    for (const [variable, file] of Object.entries(TOKEN_FILES))
        if (env[variable])
            log.warn(`${variable} is in the environment, where the code under test can read it (/proc/<pid>/environ of this process and of the shell that started it): put the token in a file only you can read (chmod 600) and set ${file} instead; see docs/security.md`);
}
async function runHpcCi(ctx) {
    const { settings, log } = ctx;
    const now = ctx.now ?? (() => new Date());
    const startedAt = now().getTime();
    const paths = artifactPaths(settings.resultsDir);
    if (settings.checkout) {
        if (!settings.commit)
            throw new Error("HPC_CI_CHECKOUT=1 needs HPC_CI_COMMIT: which commit to check out?");
        // A clone without the named remote may still hold the commit: git then says what is missing.
        const remote = await settingsRemote(settings).catch((error) => {
            if (error instanceof PublishError)
                return { url: settings.results.remote, token: undefined };
            throw error;
        });
        await checkoutCommit(settings.root, settings.commit, settings.resultsDir, remote.url, tokenEnvironment(remote.url, remote.token));
        log.info(`checked out ${settings.commit}`);
    }
    const commit = settings.commit ?? (await headCommit(settings.root));
    const branch = settings.branch ?? (await currentBranch(settings.root, ctx.env, settings.results.remote));
    preflight(ctx);
    await credentialPreflight(ctx);
    const provenance = await describeProvenance(ctx);
    log.info(`commit ${commit} on ${branch}; ${provenance.summary}`);
    const previous = await earlierRun(paths, commit, log);
    const env = childEnvironment(ctx, commit, branch);
    const state = ctx.mode.uploadOnly ? {} : await describeCommitState(ctx, commit);
    if (ctx.mode.uploadOnly) {
        if (!previous) {
            log.error(`--upload-only: no results for ${commit} in ${paths.dir}; run the tests first`);
            return { exitCode: 1 };
        }
        await uploadPhase(ctx, paths, commit, branch);
        return { exitCode: 0, results: previous };
    }
    let tests;
    let testsSummary;
    let coverage;
    if (ctx.mode.tests) {
        ({ section: tests, summary: testsSummary } = await runTestsPhase(ctx, paths, env, commit));
        if (settings.coverage.enabled)
            coverage = await runCoveragePhase(ctx, paths);
    }
    let benchmarks;
    let benchmarksSummary;
    let hpc = provenance.hpc;
    if (ctx.mode.benchmarks !== "off") {
        const outcome = await runBenchmarksPhase(ctx, paths, env, commit, provenance, now);
        if (outcome)
            ({ section: benchmarks, summary: benchmarksSummary } = outcome);
        if (outcome?.environment)
            hpc = withFileEnvironment(hpc, outcome.environment);
    }
    const generatedAt = now()
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z");
    const fresh = {
        schema_version: 1,
        commit,
        branch,
        generated_at: generatedAt,
        generated_by: `hpc-ci ${ctx.version}`,
        ...(settings.results.repository && { repository: settings.results.repository }),
        // The job's elapsed time when it started us, plus this run.
        hpc: {
            ...hpc,
            walltime_seconds: Math.round((hpc.walltime_seconds ?? 0) + (now().getTime() - startedAt) / 1000),
        },
        ...(coverage !== undefined && { coverage }),
        ...(tests && { tests }),
        ...(benchmarks && { benchmarks }),
        ...state,
    };
    const results = mergeRuns(previous, fresh);
    const meta = {
        schema_version: 1,
        commit,
        branch,
        tag: provenance.tag ?? null,
        generated_at: generatedAt,
        ...provenance.meta,
        flags: [settings.coverage.flag],
        options: ctx.mode.options,
        ...state,
    };
    const problems = checkDocument("hpc-results", results, paths.results);
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    await writeJsonAtomic(paths.meta, meta);
    await writeJsonAtomic(paths.results, results);
    log.info(`wrote ${paths.results}`);
    if (ctx.mode.tests && ctx.mode.codecov && results.coverage)
        await uploadPhase(ctx, paths, commit, branch);
    // Judged by what this run did: an earlier run's failure merged in is not this run's failure. A
    // regression fails the run only when the judge is sure (the section's verdict; tentative ones do not).
    const regressed = fresh.benchmarks?.verdict === "regression";
    if (regressed)
        log.error("benchmarks: regression (see above); the run fails");
    const failed = fresh.tests?.status === "failed" || fresh.benchmarks?.status === "failed" || regressed;
    if (ctx.mode.publish) {
        const published = await publishRun(ctx, { results, testsSummary, benchmarksSummary, meta });
        if (!published)
            return { exitCode: 3, results };
    }
    return { exitCode: failed ? 1 : 0, results };
}

;// CONCATENATED MODULE: ./.build/src/cli/errors.js
/** A mistake on the command line: exit code 2. */
class UsageError extends Error {
    name = "UsageError";
}

;// CONCATENATED MODULE: ./.build/src/cli/run-options.js

const RUN_OPTIONS = {
    "tests-only": { type: "boolean" },
    "benchmarks-only": { type: "boolean" },
    "with-benchmarks": { type: "boolean" },
    "upload-only": { type: "boolean" },
    "no-codecov": { type: "boolean" },
    "no-publish": { type: "boolean" },
    shard: { type: "string" },
    "bench-floor-pct": { type: "string" },
    "bench-cap-pct": { type: "string" },
    "bench-min-history": { type: "string" },
    "bench-history-limit": { type: "string" },
    "bench-tolerance-pct": { type: "string" },
};
function runMode(values, publishDefault) {
    const exclusive = ["tests-only", "benchmarks-only", "upload-only"].filter((k) => values[k]);
    if (exclusive.length > 1)
        throw new UsageError(`--${exclusive.join(" and --")} cannot be used together`);
    if (values["tests-only"] && values["with-benchmarks"])
        throw new UsageError("--tests-only and --with-benchmarks contradict each other");
    let shard;
    if (typeof values.shard === "string") {
        const m = /^(\d+)\/(\d+)$/.exec(values.shard);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
            throw new UsageError(`--shard must be I/N with 1 <= I <= N, not ${values.shard}`);
        shard = { index: Number(m[1]), count: Number(m[2]) };
    }
    const options = Object.entries(values)
        .filter(([, v]) => v !== undefined && v !== false)
        .map(([k, v]) => (v === true ? `--${k}` : `--${k}=${String(v)}`));
    return {
        tests: !values["benchmarks-only"],
        benchmarks: values["tests-only"]
            ? "off"
            : values["with-benchmarks"] || values["benchmarks-only"]
                ? "on"
                : "auto",
        uploadOnly: Boolean(values["upload-only"]),
        codecov: !values["no-codecov"],
        publish: !values["no-publish"] && !shard && publishDefault,
        shard,
        options,
    };
}

;// CONCATENATED MODULE: ./.build/src/slurm/credentials.js
// What must never be written into a batch script (a file on a shared filesystem, kept next to the
// results and printed by `submit --print`) nor given to the job (see job-environment.ts).
/** Names of variables that hold credentials (CODECOV_TOKEN, HPC_RESULTS_TOKEN, MY_PASSWORD...). */
const SECRET_NAME = /TOKEN|SECRET|PASSW(OR)?D|CREDENTIAL|PRIVATE_KEY|API_?KEY|ACCESS_KEY|AUTH/i;
/** Token formats that identify themselves, wherever they appear (GitHub's classic and fine-grained). */
const SECRET_TEXT = /\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_\w{20,}/;
/** A query parameter that carries a credential, as in a pre-signed URL. */
const SECRET_QUERY = /[?&][\w-]*(token|sig|signature|key|secret|password|auth)[\w-]*=/i;
/**
 * Whether a variable must stay out of the script: a credential's name, a known token format, or a
 * URL that carries credentials. `ssh://git@host/...` and `git@host:...` carry none (the key does the
 * work); `https://user:pass@host`, `https://TOKEN@host` and signed query strings do.
 */
function isCredential(name, value) {
    if (SECRET_NAME.test(name) || SECRET_TEXT.test(value))
        return true;
    for (const match of value.matchAll(/\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#]*)([^\s]*)/gi)) {
        const [, scheme, authority, rest] = match;
        const userinfo = authority.includes("@") ? authority.slice(0, authority.lastIndexOf("@")) : "";
        if (userinfo.includes(":"))
            return true;
        if (userinfo && /^https?$/i.test(scheme))
            return true;
        if (SECRET_QUERY.test(rest))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./.build/src/slurm/directives.js
// #SBATCH lines: writing a value so that sbatch reads back exactly that value, and reading the
// options of a script the way sbatch does (to find the folders its output goes to).
//
// How sbatch reads a script (src/sbatch/opt.c): options come from lines starting with "#SBATCH" up to
// the first line that is neither blank nor a comment. Each such line is split into words on blanks;
// '...' and "..." quote, a backslash escapes the next character (inside quotes too), an unquoted '#'
// starts a comment. A line holding the word "packjob" or "hetjob" anywhere starts another component
// of a heterogeneous job. Environment variables are not expanded.
class DirectiveError extends Error {
    name = "DirectiveError";
}
const BARE = /^[\w@%+=:,./-]+$/;
/**
 * A value as one sbatch word: bare when plain, else in double quotes with '"' and '\' escaped.
 * Refuses what no quoting can carry: line breaks and other control characters, and the words that
 * would split the job into heterogeneous components.
 */
function sbatchWord(what, value) {
    if (value === "")
        throw new DirectiveError(`slurm ${what} is empty`);
    if ([...value].some((c) => c < " " || c === "\x7f"))
        throw new DirectiveError(`slurm ${what} must be one line of printable text (a line break would end the #SBATCH line): ${JSON.stringify(value)}`);
    if (/packjob|hetjob/i.test(value))
        throw new DirectiveError(`slurm ${what} may not contain "hetjob" or "packjob": sbatch would start a heterogeneous job there: ${JSON.stringify(value)}`);
    return BARE.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}
/** The words of the #SBATCH lines of a script, in order, as sbatch reads them. */
function readDirectives(script) {
    const words = [];
    for (const line of script.split("\n")) {
        if (line.startsWith("#SBATCH")) {
            words.push(...splitWords(line.slice("#SBATCH".length)));
            continue;
        }
        const text = line.trimStart();
        if (text !== "" && !text.startsWith("#"))
            break; // the first command ends the directives
    }
    return words;
}
function splitWords(text) {
    const words = [];
    let i = 0;
    while (i < text.length) {
        while (i < text.length && /\s/.test(text[i]))
            i++;
        if (i >= text.length || text[i] === "#")
            break;
        let word = "";
        let quote = "";
        for (; i < text.length && (quote || !/\s/.test(text[i])); i++) {
            const c = text[i];
            if (c === "\\")
                word += text[++i] ?? "";
            else if (quote && c === quote)
                quote = "";
            else if (quote)
                word += c;
            else if (c === '"' || c === "'")
                quote = c;
            else if (c === "#") {
                i = text.length; // an unquoted '#' comments out the rest of the line
                break;
            }
            else
                word += c;
        }
        words.push(word);
    }
    return words;
}
/**
 * The last value given to an option among sbatch words: `--name=value`, `--name value`, `-xvalue`
 * or `-x value`. Undefined when the option is absent.
 */
function optionValue(words, long, short) {
    let value;
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === `--${long}` || (short && word === `-${short}`))
            value = words[++i];
        else if (word.startsWith(`--${long}=`))
            value = word.slice(long.length + 3);
        else if (short && word.startsWith(`-${short}`) && !word.startsWith("--"))
            value = word.slice(2);
    }
    return value;
}

;// CONCATENATED MODULE: ./.build/src/slurm/batch-script.js
// The Slurm batch script `hpc-ci submit` writes: #SBATCH lines from the settings, the site's setup
// lines, the knobs of the submitting shell exported again (so none is lost, whatever the site's
// export policy), then the CLI's `run`, whose exit code becomes the job's.




/** A setting or option that cannot go into a batch script; the message says which and why. */
class BatchScriptError extends Error {
    name = "BatchScriptError";
}
/** Where the job's output goes, relative to the working directory. Slurm does not create its folder. */
const DEFAULT_OUTPUT = "hpc-ci/logs/slurm-%j.out";
const DEFAULT_JOB_NAME = "hpc-ci";
/** Exit codes of the CLI that the script itself uses for problems found before the CLI starts. */
const CONFIG_ERROR = 2;
const TEXT_DIRECTIVES = [
    ["job_name", "job-name"],
    ["partition", "partition"],
    ["account", "account"],
    ["qos", "qos"],
    ["time", "time"],
    ["mem", "mem"],
    ["gres", "gres"],
    ["constraint", "constraint"],
    ["output", "output"],
];
const COUNT_DIRECTIVES = [
    ["nodes", "nodes"],
    ["ntasks", "ntasks"],
    ["cpus_per_task", "cpus-per-task"],
];
/** Options hpc-ci sets itself, or that would take the job's environment away from it. */
const RESERVED_EXTRA = {
    "--chdir": "the job runs in the checkout it was submitted from",
    "--wrap": "the script is the job",
    "--export": "the job needs the submitting environment (module paths, token file names); use --export=ALL,NAME=value",
};
function renderBatchScript(options) {
    try {
        return render(options);
    }
    catch (error) {
        if (error instanceof DirectiveError)
            throw new BatchScriptError(error.message);
        throw error;
    }
}
function render(options) {
    const { slurm, workdir, cliPath } = options;
    if (!(0,external_node_path_namespaceObject.isAbsolute)(workdir))
        throw new BatchScriptError(`workdir must be an absolute path: ${workdir}`);
    if (!(0,external_node_path_namespaceObject.isAbsolute)(cliPath))
        throw new BatchScriptError(`cliPath must be an absolute path: ${cliPath}`);
    const node = options.nodePath ?? process.execPath;
    const settings = { job_name: DEFAULT_JOB_NAME, output: DEFAULT_OUTPUT, ...slurm };
    const directives = [];
    for (const [key, flag] of TEXT_DIRECTIVES) {
        const value = settings[key];
        if (value !== undefined)
            directives.push(`--${flag}=${sbatchWord(key, value)}`);
    }
    for (const [key, flag] of COUNT_DIRECTIVES) {
        const value = settings[key];
        if (value === undefined)
            continue;
        if (!Number.isSafeInteger(value) || value < 1)
            throw new BatchScriptError(`slurm ${key} must be a whole number of at least 1, not ${value}`);
        directives.push(`--${flag}=${value}`);
    }
    // Relative output paths then mean the checkout, wherever sbatch is run from (`submit --print`).
    directives.push(`--chdir=${sbatchWord("workdir", workdir)}`);
    for (const extra of settings.extra ?? [])
        directives.push(extraDirective(extra));
    const exported = [];
    const withheld = [];
    for (const [name, value] of Object.entries(options.env).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
            throw new BatchScriptError(`not a variable name that bash can export: ${JSON.stringify(name)}`);
        if (isCredential(name, value))
            withheld.push(name);
        else
            exported.push(`export ${name}=${shellQuote(value)}`);
    }
    const setup = settings.setup ?? [];
    for (const line of setup)
        if (/[\r\n\0]/.test(line))
            throw new BatchScriptError(`slurm setup lines must be one line each: ${JSON.stringify(line)}`);
    const run = [node, cliPath, ...options.cliArgs].map(shellQuote).join(" ");
    return [
        "#!/bin/bash",
        ...directives.map((d) => `#SBATCH ${d}`),
        "#",
        // Only fixed text in comments: a value with a line break would end the comment and become a command.
        "# Written by `hpc-ci submit`: runs the CLI (the last line) in the checkout. The job's exit code is the",
        "# CLI's: 0 passed, 1 tests or benchmarks failed, 2 configuration error, 3 infrastructure failure.",
        "# No credential is written here, nor given to the job: `hpc-ci submit` hands sbatch its environment",
        "# without them (--export=ALL). With --wait it publishes after the job; without, the job reads the",
        "# tokens from the files named by HPC_RESULTS_TOKEN_FILE and CODECOV_TOKEN_FILE (see docs/security.md).",
        ...(withheld.length ? [`# Left out for that reason: ${withheld.join(", ")}.`] : []),
        "set -euo pipefail",
        "",
        ...setupBlock(setup),
        `cd -- ${shellQuote(workdir)} || ${fail(`cannot enter ${workdir}; is it on a filesystem the compute nodes share? Node:`, '"$HOSTNAME"')}`,
        ...exported,
        `command -v -- ${shellQuote(node)} >/dev/null || ${fail(`node not found in the job: ${node} (add a "module load" line to slurm.setup?)`)}`,
        `[ -r ${shellQuote(cliPath)} ] || ${fail(`the CLI file is not readable in the job: ${cliPath}`)}`,
        `exec ${run}`,
        "",
    ].join("\n");
}
function extraDirective(extra) {
    const m = /^(--[A-Za-z][A-Za-z0-9-]*)(?:=([^]*))?$/.exec(extra);
    if (!m)
        throw new BatchScriptError(`slurm extra option must look like --name or --name=value: ${JSON.stringify(extra)}`);
    const [, flag, value] = m;
    const reserved = RESERVED_EXTRA[flag];
    if (reserved && !(flag === "--export" && /^ALL(,|$)/.test(value ?? "")))
        throw new BatchScriptError(`slurm extra option ${flag} is not allowed: ${reserved}`);
    return value === undefined ? flag : `${flag}=${sbatchWord(`extra ${flag}`, value)}`;
}
/**
 * The site's setup lines. One that fails ends the job with exit 2 (a configuration error) rather than
 * 1, which would read as failed tests. They run without `set -u`: module and conda scripts often read
 * variables that are not set. -E lets the trap see failures inside shell functions such as `module`.
 */
function setupBlock(setup) {
    if (setup.length === 0)
        return [];
    return [
        "# Site setup (slurm.setup in .hpc-ci.json).",
        "set +u -E",
        `trap 'echo "hpc-ci: a slurm.setup line failed (exit $?): $BASH_COMMAND" >&2; exit ${CONFIG_ERROR}' ERR`,
        ...setup,
        "trap - ERR",
        "set -u +E",
        "",
    ];
}
/**
 * A shell command that explains a problem on stderr and exits with the configuration-error code.
 * `shellWords` is appended unquoted (for "$HOSTNAME"); the message itself is data.
 */
function fail(message, shellWords = "") {
    const words = shellWords ? ` ${shellWords}` : "";
    return `{ echo ${shellQuote(`hpc-ci: ${message}`)}${words} >&2; exit ${CONFIG_ERROR}; }`;
}

;// CONCATENATED MODULE: ./.build/src/slurm/job-environment.js
// The environment sbatch is given, which --export=ALL hands to the job: the submitting one without any
// credential. In the job it would sit in /proc/<pid>/environ of the batch script and of the CLI, both
// ancestors of the code under test. The variables naming token files may stay: a path is no secret.



const TOKEN_FILE_NAMES = Object.values(TOKEN_FILES);
function jobEnvironment(env, keepTokenFiles) {
    const kept = {};
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined)
            continue;
        if (TOKEN_FILE_NAMES.includes(name)) {
            if (keepTokenFiles)
                kept[name] = value;
        }
        else if (name === "HPC_RESULTS_REPO_URL") {
            // Where results go is no secret; a user and password in it are (the job gets the URL without them).
            const bare = withoutUserinfo(value);
            if (!isCredential(name, bare))
                kept[name] = bare;
        }
        else if (!SECRET_VARIABLES.includes(name) && !isCredential(name, value))
            kept[name] = value;
    }
    return kept;
}
function withoutUserinfo(value) {
    try {
        const url = new URL(value);
        if (!url.username && !url.password)
            return value;
        url.username = "";
        url.password = "";
        return url.href;
    }
    catch {
        return value; // not a URL (a path, git@host:repo): nothing to take out
    }
}
/** Whether a variable names a token file (it reaches the job through sbatch's environment, not the script). */
function isTokenFileVariable(name) {
    return TOKEN_FILE_NAMES.includes(name);
}

;// CONCATENATED MODULE: ./.build/src/slurm/submit.js
// Submitting a batch script with sbatch. With `wait`, sbatch stays until the job ends and the job's
// exit code comes back: the CLI's own (0-3) when the script ran to its end, 3 when Slurm ended the
// job (time limit, cancel, node failure, a signal), which sbatch alone would report as a plain 1.






/** sbatch is missing or refused the job; the message is for the user as it is. */
class SubmitError extends Error {
    name = "SubmitError";
}
/** The exit code given when Slurm, not the CLI, ended the job. */
const INFRASTRUCTURE_FAILURE = 3;
async function submitBatch(script, options) {
    const cwd = (0,external_node_path_namespaceObject.resolve)(options.cwd);
    if (!(await (0,promises_namespaceObject.stat)(cwd).catch(() => undefined))?.isDirectory())
        throw new SubmitError(`cannot submit from ${cwd}: no such directory`);
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.dirname)(options.scriptPath), { recursive: true });
    for (const folder of [...outputFolders(script, cwd), ...(options.outputDir ? [options.outputDir] : [])])
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_namespaceObject.resolve)(cwd, folder), { recursive: true });
    await (0,promises_namespaceObject.writeFile)(options.scriptPath, script, { mode: 0o700 });
    await (0,promises_namespaceObject.chmod)(options.scriptPath, 0o700); // an existing file keeps its mode through writeFile
    // --export=ALL on the command line wins over a site's SBATCH_EXPORT=NONE, which would keep the
    // environment (module paths, token file names) from the job. A script that names its own
    // --export (only ALL,... is allowed by renderBatchScript) keeps it.
    const exportAll = optionValue(readDirectives(script), "export") === undefined ? ["--export=ALL"] : [];
    const args = ["--parsable", ...exportAll, ...(options.wait ? ["--wait"] : []), options.scriptPath];
    const result = await run("sbatch", args, cwd, jobEnvironment(options.env, true));
    const submitted = parseParsable(result.stdout);
    if (!submitted) {
        const said = sbatchMessage(result.stderr || result.stdout) || `exit code ${result.code}`;
        throw new SubmitError(`sbatch refused the job: ${said}`);
    }
    const base = { ...submitted, stdout: result.stdout, stderr: result.stderr };
    if (!options.wait)
        return base;
    const ended = await finalJobEnd(submitted.jobId, submitted.cluster, cwd, options.env);
    return { ...base, ...judgeEnd(result.code, ended, submitted.jobId) };
}
/** `jobid` or `jobid;cluster`, the one line `sbatch --parsable` prints (other lines are ignored). */
function parseParsable(stdout) {
    for (const line of stdout.split("\n")) {
        const m = /^(\d+)(?:;(\S+))?$/.exec(line.trim());
        if (m)
            return { jobId: m[1], ...(m[2] && { cluster: m[2] }) };
    }
    return undefined;
}
/** The folders of the script's --output and --error files, which Slurm would not create. */
function outputFolders(script, cwd) {
    const words = readDirectives(script);
    const workdir = (0,external_node_path_namespaceObject.resolve)(cwd, optionValue(words, "chdir", "D") ?? ".");
    const folders = new Set();
    for (const file of [optionValue(words, "output", "o"), optionValue(words, "error", "e")]) {
        if (!file || file.toLowerCase() === "none")
            continue;
        const folder = (0,external_node_path_namespaceObject.dirname)(file);
        // A folder named by a pattern (%j, %u...) is only known to Slurm; a backslash turns patterns off.
        if (folder.includes("%") && !file.includes("\\"))
            continue;
        folders.add((0,external_node_path_namespaceObject.resolve)(workdir, folder));
    }
    return [...folders];
}
/** Parses the one line of `scontrol show job -o`. */
function parseJobEnd(line) {
    const field = (name) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(line)?.[1];
    const state = field("JobState");
    const exit = /^(\d+):(\d+)$/.exec(field("ExitCode") ?? "");
    if (!state || !exit)
        return undefined;
    const reason = field("Reason");
    return {
        state,
        ...(reason && reason !== "None" && { reason }),
        exitStatus: Number(exit[1]),
        signal: Number(exit[2]),
    };
}
/** States in which Slurm, not the script, decided how the job ended. */
const ENDED_BY_SLURM = /^(TIMEOUT|CANCELLED|NODE_FAIL|BOOT_FAIL|DEADLINE|PREEMPTED|REVOKED)/;
function judgeEnd(sbatchCode, ended, jobId) {
    if (!ended)
        return { exitCode: sbatchCode };
    const { state, reason, exitStatus, signal } = ended;
    if (signal === 0 && !ENDED_BY_SLURM.test(state) && reason !== "JobLaunchFailure")
        return { exitCode: exitStatus, state };
    const how = [reason, signal ? `signal ${signal}` : undefined].filter(Boolean).join(", ");
    return {
        exitCode: INFRASTRUCTURE_FAILURE,
        state,
        problem: `job ${jobId} was ended by Slurm: ${state}${how ? ` (${how})` : ""}; see its output file`,
    };
}
// sbatch --wait returns when the script ends; Slurm may still be COMPLETING (epilog, step cleanup) for a
// moment. The final state is what users are told, so it is asked again briefly until Slurm has settled.
const SETTLE_MS = 10_000;
const SETTLE_POLL_MS = 250;
async function finalJobEnd(jobId, cluster, cwd, env) {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
        const ended = await jobEnd(jobId, cluster, cwd, env);
        if (!ended || !ended.state.startsWith("COMPLETING") || Date.now() >= deadline)
            return ended;
        await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
}
async function jobEnd(jobId, cluster, cwd, env) {
    const args = ["show", "job", "-o", ...(cluster ? ["-M", cluster] : []), jobId];
    const result = await run("scontrol", args, cwd, env).catch(() => undefined);
    if (!result || result.code !== 0)
        return undefined;
    const line = result.stdout.split("\n").find((l) => l.startsWith(`JobId=${jobId} `));
    return line ? parseJobEnd(line) : undefined;
}
/** sbatch's own words, without its "sbatch: error:" prefixes, on one line. */
function sbatchMessage(text) {
    return text
        .split("\n")
        .map((l) => l.replace(/^sbatch:\s*(error:\s*)?/, "").trim())
        .filter(Boolean)
        .join("; ");
}
/** Runs a Slurm command with no standard input (a prompt must fail, not hang a batch submission). */
function run(command, args, cwd, env) {
    return new Promise((resolvePromise, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const out = [];
        const err = [];
        child.stdout.on("data", (chunk) => out.push(chunk));
        child.stderr.on("data", (chunk) => err.push(chunk));
        child.on("error", (error) => {
            reject(error.code === "ENOENT"
                ? new SubmitError(`${command} not found: is this a Slurm login node?`)
                : new SubmitError(`cannot run ${command}: ${error.message}`));
        });
        child.on("close", (code, signal) => resolvePromise({
            code: code ?? 128 + (signal ? external_node_os_namespaceObject.constants.signals[signal] : 0),
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8"),
        }));
    });
}

;// CONCATENATED MODULE: ./.build/src/slurm/index.js







;// CONCATENATED MODULE: ./.build/src/cli/usage.js
// The help text, naming the program the way it was started.

/** How the user started us, for messages: `node <script>`, relative to the working folder when inside it. */
function invokedAs(script = process.argv[1] ?? "hpc-ci.js", cwd = process.cwd()) {
    const inside = (0,external_node_path_namespaceObject.relative)(cwd, script);
    const shown = inside && !inside.startsWith("..") && !(0,external_node_path_namespaceObject.isAbsolute)(inside) ? inside : script;
    return `node ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
}
const COMMANDS = [
    "run",
    "publish",
    "validate",
    "coverage",
    "submit",
    "merge",
    "doctor",
    "help",
];
const usage = (program = invokedAs()) => `Usage: ${program} <command> [options]

Runs a repository's tests (with coverage) and benchmarks on an HPC cluster, writes standard
artifacts under hpc-ci/, uploads coverage to Codecov under its own flag, and publishes small JSON
to the hpc-results branch, where GitHub Actions turn it into badges, a dashboard and PR comments.

Commands:
  run        Check out (optional), test with coverage, benchmark, upload, publish.
               --tests-only        tests and coverage only
               --benchmarks-only   benchmarks only (merged with this commit's earlier results)
               --with-benchmarks   require benchmarks (fail if none are configured)
               --upload-only       only upload this commit's existing coverage to Codecov
               --no-codecov        do not upload to Codecov
               --no-publish        do not push to the results branch
               --shard I/N         run shard I of N (tests get HPC_CI_SHARD_INDEX/COUNT)
               --bench-floor-pct N  --bench-cap-pct N  --bench-min-history N
               --bench-history-limit N  --bench-tolerance-pct N
                                   the benchmark judge's settings (win over HPC_BENCH_* and .hpc-ci.json)
  publish    Push an hpc-results.json (and its summaries) to the results branch.
               --input FILE  --branch NAME  --remote NAME|URL  --no-push
  validate   Check documents against the schema_version 1 contract: validate <file|dir>...
  coverage   Julia .cov files to lcov: coverage [DIR...] [--out FILE] (default DIRs: src ext)
  submit     Write a Slurm batch script that runs \`run\` with the given flags, and submit it.
               --print  (only print the script)   --wait  (wait and exit with the job's code; the job
               gets no credential: this process uploads and publishes its results after it)
  merge      Combine the results of several \`run --shard I/N\` jobs: merge DIR... [--out DIR]
  doctor     Check, in seconds, that this node can publish: git, the results remote and branch with
             the configured credential, a push (dry run), HPC_RESULTS_TOKEN with GitHub's API, the
             clock, Node.js. Prints a fix for each failure; exit 0 when all hold, 2 otherwise.
               --remote NAME|URL  --branch NAME  --timeout SECONDS (per check, default 15)

Options: --help, --version      Example: ${program} doctor

Environment (Mycelia's knobs keep their meaning):
  HPC_CI_COMMIT, HPC_CI_BRANCH     commit and branch tested (default: git HEAD)
  HPC_CI_CHECKOUT=1                fetch and check out HPC_CI_COMMIT first (refuses a dirty tree)
  HPC_RESULTS_DIR                  where artifacts go (default hpc-ci)
  HPC_CODECOV_FLAG                 Codecov flag (default hpc-extended)
  HPC_RESULTS_PUBLISH=0|1          publish after run (default 1)
  HPC_RESULTS_BRANCH               results branch (default hpc-results)
  HPC_RESULTS_REMOTE               git remote to publish to (default origin)
  HPC_RESULTS_REPO_URL             explicit URL to publish to (wins over the remote; no credentials in it)
  HPC_RESULTS_TOKEN_FILE           a file only you can read (chmod 600) holding the token for an https
                                   results remote and GitHub's API, read when publishing (sent as a header)
  HPC_RESULTS_TOKEN                the same token in the environment, where the tests can read it (warned)
  HPC_CI_OPERATOR_CONFIG           the operator's config file, outside the checkout (default
                                   ~/.config/hpc-ci/config.json): {"results": {"repo_url", "remote",
                                   "branch", "repository"}}; .hpc-ci.json cannot say where results go
  HPC_RESULTS_REPOSITORY_SLUG      owner/repo on GitHub (default: from the remote's URL)
  GITHUB_API_URL                   GitHub's API (default: the results remote's server, api.github.com or HOST/api/v3)
  HPC_CLUSTER_NAME                 cluster name recorded in the results
  CODECOV_TOKEN_FILE               a file only you can read holding the Codecov upload token
  CODECOV_TOKEN                    the same in the environment (never passed to test commands; warned)
  HPC_BENCH_FLOOR_PCT, HPC_BENCH_CAP_PCT, HPC_BENCH_MIN_HISTORY, HPC_BENCH_HISTORY_LIMIT,
  HPC_BENCH_TOLERANCE_PCT          the benchmark judge's settings (win over .hpc-ci.json)
  HPC_BENCH_CONFIRM=0|1            rerun the benchmarks once to confirm a regression
  HPC_BENCH_BASELINE_BRANCH        the branch whose runs are the benchmark history (default: origin's HEAD)
Configuration file: .hpc-ci.json at the repository root (schemas/hpc-ci-config.schema.json).

Exit codes: 0 all passed, 1 tests or benchmarks failed, a sure benchmark regression (or invalid
            documents for validate),
            2 usage or configuration error, 3 infrastructure failure (checkout, publish).
`;

;// CONCATENATED MODULE: ./.build/src/run/read-run.js
// A finished run read back from its results directory: hpc-results.json (validated) and the summaries
// beside it, each only when it is a valid document of the same commit. Used by `publish` and by
// `submit --wait`, which publishes the job's results after the job.






/** Reads the run whose hpc-results.json is `input`; an invalid one is an InvalidDocumentError. */
async function readRun(input, log) {
    const results = await readDocument(input, input);
    const problems = checkDocument("hpc-results", results, input);
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    const run = results;
    const paths = artifactPaths((0,external_node_path_namespaceObject.dirname)(input));
    const sibling = (path, kind) => summary(path, kind, run.commit, log);
    return {
        results: run,
        testsSummary: await sibling(paths.testsSummary, "tests-summary"),
        benchmarksSummary: await sibling(paths.benchmarksSummary, "benchmarks-summary"),
        meta: await sibling(paths.meta, "meta"),
    };
}
/** A summary beside the results, kept only when it is a valid one of this very commit. */
async function summary(path, kind, commit, log) {
    const read = await readValidDocument(path, kind);
    if (!read)
        return undefined;
    if (read.value?.commit === commit)
        return read.value;
    const why = read.value
        ? `it is a ${kind} of another commit, not ${commit}`
        : read.errors.map(formatContractError).join("; ");
    log.warn(`not publishing ${path}: ${why}`);
    return undefined;
}

;// CONCATENATED MODULE: ./.build/src/cli/suggest.js
// "Did you mean ...?" for a mistyped command or flag: the known word nearest by edit distance.
/** Levenshtein distance, counting a swap of two neighbours as one edit (a common typo). */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[a.length][b.length];
}
/** The nearest of `known` to `word`, when it is near enough to be a typo of it (or starts the same). */
function nearest(word, known) {
    const limit = Math.max(1, Math.floor(word.length / 3));
    let best;
    for (const name of known) {
        const distance = editDistance(word.toLowerCase(), name);
        if (!best || distance < best.distance)
            best = { name, distance };
    }
    if (best && best.distance <= limit)
        return best.name;
    // A prefix long enough to mean something ("--bench" for "--benchmarks-only").
    const prefixed = known.filter((name) => word.length >= 3 && name.startsWith(word.toLowerCase()));
    return prefixed.length === 1 ? prefixed[0] : undefined;
}
function didYouMean(word, known) {
    const found = nearest(word, known);
    return found ? `; did you mean \`${found}\`?` : "";
}

;// CONCATENATED MODULE: ./.build/src/cli/parse.js
// The command line of one command, through node's parseArgs; an unknown flag is a UsageError that names
// the nearest known flag.



function parseCommandLine(args, options, allowPositionals) {
    try {
        return (0,external_node_util_namespaceObject.parseArgs)({ args, options, strict: true, allowPositionals: allowPositionals ?? false });
    }
    catch (error) {
        const code = error.code;
        const flag = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
        if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
            const known = Object.keys(options).map((name) => `--${name}`);
            throw new UsageError(`unknown option ${flag}${didYouMean(flag.replace(/=.*$/, ""), known)}`);
        }
        if (code?.startsWith("ERR_PARSE_ARGS"))
            throw new UsageError(error.message);
        throw error;
    }
}

;// CONCATENATED MODULE: ./.build/src/cli/publish-command.js
// `hpc-ci publish`: push an hpc-results.json (Mycelia's or ours) and the summaries beside it.












async function publishCommand(args, env) {
    const { values } = parseCommandLine(args, {
        input: { type: "string" },
        branch: { type: "string" },
        remote: { type: "string" },
        "no-push": { type: "boolean" },
    });
    const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
    const settings = await resolveSettings(root, env);
    for (const warning of settings.warnings ?? [])
        consoleLogger.warn(warning);
    const input = (0,external_node_path_namespaceObject.resolve)(values.input ?? artifactPaths(settings.resultsDir).results);
    if (!(0,external_node_fs_namespaceObject.existsSync)(input)) {
        consoleLogger.error(`input not found: ${input}`);
        return 2;
    }
    const published = await readRun(input, consoleLogger);
    try {
        const outcome = await publishToBranch(published, publishTarget(settings, {
            remote: values.remote,
            branch: values.branch,
            root,
            push: !values["no-push"],
            historyBranch: await baselineBranch(settings),
            token: await resultsToken(settings),
        }), consoleLogger);
        if (!outcome.changed)
            consoleLogger.info("no hpc-results changes to publish");
        return 0;
    }
    catch (error) {
        if (error instanceof PublishError) {
            consoleLogger.error(error.message);
            return 3;
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./.build/src/contract/legacy.js
// Mycelia's publisher writes `<sha>/tests.json` and `<sha>/benchmarks.json` as Shields endpoints
// whose message is "<status>[ <seconds>s]"; our summaries use the same names. Told apart by shape.

function looksLikeShieldsEndpoint(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "schemaVersion" in value;
}
/** The status and duration a Mycelia endpoint's message states, when it states a known status. */
function legacy_readEndpointMessage(endpoint) {
    const match = /^(.*?)(?: (\d+)s)?$/.exec(endpoint.message.trim());
    const word = (match?.[1] ?? "").toLowerCase();
    const status = STATUSES.includes(word) ? word : undefined;
    const seconds = match?.[2] === undefined ? undefined : Number(match[2]);
    return { ...(status && { status }), ...(seconds !== undefined && { duration_seconds: seconds }) };
}

;// CONCATENATED MODULE: ./.build/src/contract/classify.js
// What kind of contract document a file is, from its name and, where names are shared, its shape.


function kindOfFile(path, value) {
    const name = (0,external_node_path_namespaceObject.basename)(path);
    const folder = (0,external_node_path_namespaceObject.basename)((0,external_node_path_namespaceObject.dirname)(path));
    if (name === ".hpc-ci.json")
        return "config";
    if (looksLikeShieldsEndpoint(value))
        return "shields-endpoint";
    if (name === "hpc-results.json" || name === "latest-hpc-results.json" || folder === "branches")
        return "hpc-results";
    if (name === "tests.json" || (folder === "tests" && name === "summary.json"))
        return "tests-summary";
    if (name === "benchmarks.json" || (folder === "benchmarks" && name === "summary.json"))
        return "benchmarks-summary";
    if (name === "meta.json" || name === "latest-meta.json")
        return "meta";
    if (value && typeof value === "object" && !Array.isArray(value)) {
        const keys = Object.keys(value);
        if (keys.includes("schema_version") &&
            ["tests", "benchmarks", "coverage", "hpc"].some((k) => keys.includes(k))) {
            return "hpc-results";
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./.build/src/contract/check-files.js
// `hpc-ci validate`: checks files, a results directory or a checkout of the results branch.







const KNOWN = new Set([
    "hpc-results.json",
    "latest-hpc-results.json",
    "latest-meta.json",
    "latest-tests.json",
    "latest-benchmarks.json",
    "tests.json",
    "benchmarks.json",
    "meta.json",
    "summary.json",
    ".hpc-ci.json",
]);
async function checkFile(path, shown = path) {
    let value;
    try {
        value = await readDocument(path, shown);
    }
    catch (error) {
        if (error instanceof InvalidDocumentError)
            return { file: shown, errors: error.errors };
        return {
            file: shown,
            errors: [{ file: shown, pointer: "", reason: `cannot be read: ${error.message}` }],
        };
    }
    const kind = kindOfFile(path, value);
    if (!kind)
        return {
            file: shown,
            errors: [
                { file: shown, pointer: "", reason: "not a document of the v1 contract (cannot tell its kind)" },
            ],
        };
    return { file: shown, kind, errors: checkDocument(kind, value, shown) };
}
/** Every contract document under `dir` (a results directory or a results-branch checkout). */
async function checkTree(dir) {
    const found = [];
    const walk = async (folder, depth) => {
        for (const entry of await (0,promises_namespaceObject.readdir)(folder, { withFileTypes: true })) {
            if (entry.name === ".git" || entry.name === "node_modules" || entry.name === "logs")
                continue;
            const path = (0,external_node_path_namespaceObject.join)(folder, entry.name);
            if (entry.isDirectory() && depth < 3)
                await walk(path, depth + 1);
            else if (entry.isFile() &&
                (KNOWN.has(entry.name) || (entry.name.endsWith(".json") && (0,external_node_path_namespaceObject.relative)(dir, folder) === "branches"))) {
                found.push(path);
            }
        }
    };
    await walk(dir, 0);
    found.sort();
    return Promise.all(found.map((f) => checkFile(f, (0,external_node_path_namespaceObject.relative)(process.cwd(), f) || f)));
}
async function checkPaths(paths) {
    const checks = [];
    for (const path of paths) {
        if (!(0,external_node_fs_namespaceObject.existsSync)(path)) {
            checks.push({ file: path, errors: [{ file: path, pointer: "", reason: "no such file or folder" }] });
        }
        else if ((await (0,promises_namespaceObject.stat)(path)).isDirectory()) {
            checks.push(...(await checkTree(path)));
        }
        else
            checks.push(await checkFile(path));
    }
    return checks;
}

;// CONCATENATED MODULE: ./.build/src/cli/validate-command.js
// `hpc-ci validate <file|dir>...`: exit 0 when every document is valid, 1 when one is not.




async function validateCommand(args) {
    const { positionals } = parseCommandLine(args, {}, true);
    if (positionals.length === 0)
        throw new UsageError("validate needs a file or a folder");
    const checks = await checkPaths(positionals);
    let bad = 0;
    for (const check of checks) {
        if (check.errors.length === 0)
            process.stdout.write(`ok       ${check.file} (${check.kind})\n`);
        else {
            bad++;
            for (const e of check.errors)
                process.stdout.write(`invalid  ${formatContractError(e)}\n`);
        }
    }
    if (checks.length === 0) {
        process.stdout.write("no contract documents found\n");
        return 1;
    }
    process.stdout.write(`${checks.length - bad} valid, ${bad} invalid\n`);
    return bad > 0 ? 1 : 0;
}

;// CONCATENATED MODULE: ./.build/src/cli/coverage-command.js
// `hpc-ci coverage [DIR...] [--out FILE]`: Julia .cov files under DIRs to lcov, on stdout or FILE.





async function coverageCommand(args) {
    const { values, positionals } = parseCommandLine(args, { out: { type: "string" }, root: { type: "string" } }, true);
    const root = (0,external_node_path_namespaceObject.resolve)(values.root ?? ".");
    const dirs = positionals.length > 0 ? positionals : [...DEFAULT_COVERAGE_DIRS];
    const found = await readJuliaCoverage(root, dirs);
    for (const w of found.warnings)
        consoleLogger.warn(w);
    const lcov = toLcov(found.files);
    const summary = summarize(found.files);
    if (values.out) {
        await writeFileAtomic((0,external_node_path_namespaceObject.resolve)(values.out), lcov);
        consoleLogger.info(`wrote ${values.out}: ${summary.coveredLines} of ${summary.totalLines} lines (${summary.percent.toFixed(2)}%)`);
    }
    else
        process.stdout.write(lcov);
    if (found.files.length === 0) {
        consoleLogger.error(`no .cov files under ${dirs.join(", ")}`);
        return 1;
    }
    return 0;
}

;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./.build/src/run/publish-after-job.js
// `submit --wait`: the job ran without credentials (with --no-publish --no-codecov), and this process,
// on the login node and no ancestor of the job's processes, uploads and publishes what the job wrote.





/** False (exit 3) when there is nothing of `commit` to publish or the publish failed. */
async function publishAfterJob(ctx, commit) {
    const { settings, mode, log } = ctx;
    const paths = artifactPaths(settings.resultsDir);
    if (!(0,external_node_fs_namespaceObject.existsSync)(paths.results)) {
        log.error(`the job wrote no ${paths.results}: nothing to publish`);
        return false;
    }
    const run = await readRun(paths.results, log);
    const { results } = run;
    if (commit && results.commit !== commit) {
        log.error(`${paths.results} is about ${results.commit}, not the submitted ${commit}: not published`);
        return false;
    }
    const branch = results.branch ?? settings.branch; // `run` always writes it
    if (mode.tests && mode.codecov && results.coverage && branch)
        await uploadPhase(ctx, paths, results.commit, branch);
    // --upload-only publishes nothing, in a job or here.
    return mode.uploadOnly || publishRun(ctx, run);
}

;// CONCATENATED MODULE: ./.build/src/cli/submit-command.js
// `hpc-ci submit [run flags] [--print] [--wait]`: a Slurm batch script that runs `run` with the
// given flags from this checkout, with the knobs set now, submitted with sbatch. The job never gets a
// credential: with --wait this process publishes after the job; without, the job reads token files.












/** The knobs that keep their meaning in the job (never credentials; token files travel in sbatch's environment). */
const KNOBS = /^(HPC_CI_|HPC_RESULTS_|HPC_CLUSTER_NAME$|HPC_CODECOV_FLAG$|JULIA_)/;
async function submitCommand(args, env) {
    const { values } = parseCommandLine(args, {
        ...RUN_OPTIONS,
        print: { type: "boolean" },
        wait: { type: "boolean" },
    });
    const { print, wait, ...runValues } = values;
    const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
    const settings = await resolveSettings(root, env);
    const mode = runMode(runValues, settings.results.publish); // checks the flags before anything is submitted
    requireTestCommand(settings, mode);
    const publishHere = Boolean(wait) && mode.publish;
    if (!publishHere)
        warnWithheld(mode, env);
    const exported = Object.fromEntries(Object.entries(env).filter((e) => KNOBS.test(e[0]) && !isTokenFileVariable(e[0]) && typeof e[1] === "string"));
    const jobOptions = publishHere
        ? [...new Set([...mode.options, "--no-publish", "--no-codecov"])]
        : mode.options;
    const script = renderBatchScript({
        slurm: settings.slurm,
        cliPath: (0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url),
        cliArgs: ["run", ...jobOptions],
        workdir: root,
        nodePath: process.execPath,
        env: exported,
    });
    if (print) {
        process.stdout.write(script);
        return 0;
    }
    const commit = settings.commit ?? (await headCommit(root).catch(() => undefined));
    const submitted = await submitBatch(script, {
        wait: Boolean(wait),
        env: jobEnvironment(env, !publishHere),
        cwd: root,
        scriptPath: (0,external_node_path_namespaceObject.join)(settings.resultsDir, "hpc-ci.sbatch"),
    });
    consoleLogger.info(`submitted job ${submitted.jobId}${wait ? `; it exited ${submitted.exitCode}` : ""}`);
    if (submitted.problem)
        consoleLogger.error(submitted.problem);
    if (!wait)
        return 0;
    const exitCode = submitted.exitCode ?? 3;
    // 0 and 1 are the ends of a run that wrote its results; 2 and 3 wrote none worth publishing.
    if (publishHere && (exitCode === 0 || exitCode === 1)) {
        consoleLogger.info(`publishing job ${submitted.jobId}'s results from here (the job had no credentials)`);
        // The job's id names the Codecov build, as when the job uploaded itself.
        const ctx = {
            settings,
            mode,
            env: { ...env, SLURM_JOB_ID: submitted.jobId },
            log: consoleLogger,
            version: VERSION,
        };
        if (!(await publishAfterJob(ctx, commit)))
            return 3;
    }
    return exitCode;
}
/** Without --wait the job publishes itself, and a token in the environment is not given to it. */
function warnWithheld(mode, env) {
    const needed = [
        ...(mode.publish ? ["HPC_RESULTS_TOKEN"] : []),
        ...(mode.codecov ? ["CODECOV_TOKEN"] : []),
    ];
    for (const variable of needed)
        if (env[variable])
            consoleLogger.warn(`${variable} is not passed to the job, where the code under test could read it: use \`submit --wait\` (this process then publishes after the job) or put the token in a file (chmod 600) named by ${TOKEN_FILES[variable]}`);
}

;// CONCATENATED MODULE: ./.build/src/run/merge.js
// Combining the results of several `run --shard I/N` jobs of one commit into one run.









const merge_worse = (a, b) => a === "failed" || b === "failed" ? "failed" : a === "passed" || b === "passed" ? "passed" : (a ?? b);
function merge_addCounts(into, from) {
    for (const [name, counts] of Object.entries(from ?? {})) {
        const sum = { ...into[name] };
        for (const [k, v] of Object.entries(counts))
            sum[k] = (sum[k] ?? 0) + v;
        Object.defineProperty(into, name, { value: sum, enumerable: true, writable: true, configurable: true });
    }
}
async function mergeShards(dirs, out, log) {
    const shards = [];
    for (const dir of dirs) {
        const path = artifactPaths(dir).results;
        const value = await readDocument(path, path);
        const problems = checkDocument("hpc-results", value, path);
        if (problems.length > 0)
            throw new InvalidDocumentError(problems);
        shards.push({ dir, results: value });
    }
    const commit = shards[0].results.commit;
    const other = shards.find((s) => s.results.commit !== commit);
    if (other) {
        throw new InvalidDocumentError([
            {
                file: artifactPaths(other.dir).results,
                pointer: "/commit",
                reason: `is ${other.results.commit}, but the first shard is ${commit}`,
            },
        ]);
    }
    const suites = {};
    const benchmarks = {};
    let testStatus;
    let benchStatus;
    let testSeconds = 0;
    let benchSeconds = 0;
    const jobs = new Set();
    const verdicts = [];
    const shifts = [];
    for (const { results } of shards) {
        // Each shard was judged on its own benchmarks: the merged run's verdict is the worst of them.
        verdicts.push(results.benchmarks?.verdict);
        shifts.push(...(results.benchmarks?.shifts ?? []));
        testStatus = merge_worse(testStatus, results.tests?.status);
        benchStatus = merge_worse(benchStatus, results.benchmarks?.status);
        // Shards run side by side: the phase took as long as its slowest shard.
        testSeconds = Math.max(testSeconds, results.tests?.duration_seconds ?? 0);
        benchSeconds = Math.max(benchSeconds, results.benchmarks?.duration_seconds ?? 0);
        merge_addCounts(suites, results.tests?.suites);
        for (const [name, r] of Object.entries(results.benchmarks?.results ?? {})) {
            Object.defineProperty(benchmarks, name, {
                value: r,
                enumerable: true,
                writable: true,
                configurable: true,
            });
        }
        if (results.hpc?.job_id)
            jobs.add(results.hpc.job_id);
    }
    const paths = artifactPaths(out);
    const lcovs = shards.map((s) => artifactPaths(s.dir).lcov).filter((p) => (0,external_node_fs_namespaceObject.existsSync)(p));
    let coverage = null;
    if (lcovs.length > 0) {
        const files = mergeByPath((await Promise.all(lcovs.map((p) => readLcovFile(p)))).flatMap((r) => r.files));
        const summary = summarize(files);
        await writeFileAtomic(paths.lcov, toLcov(files));
        coverage = {
            flag: shards.find((s) => s.results.coverage)?.results.coverage?.flag,
            coverage_percent: Math.round(summary.percent * 100) / 100,
            total_lines: summary.totalLines,
            covered_lines: summary.coveredLines,
            report_file: RELATIVE.lcov,
            summary_file: null,
        };
        log.info(`merged coverage of ${lcovs.length} shard(s): ${coverage.coverage_percent}%`);
    }
    const first = shards[0].results;
    const hasSuites = Object.keys(suites).length > 0;
    const results = {
        ...first,
        hpc: { ...first.hpc, ...(jobs.size > 0 && { job_id: [...jobs].join(",") }) },
        // One shard tested in a dirty tree makes the whole run so.
        ...(shards.some((s) => s.results.dirty) && { dirty: true }),
        coverage,
        ...(testStatus && {
            tests: {
                status: testStatus,
                duration_seconds: testSeconds,
                log_file: RELATIVE.testsLog,
                ...(hasSuites && { suites, totals: sumSuites(suites) }),
            },
        }),
        ...(benchStatus && {
            benchmarks: {
                status: benchStatus,
                duration_seconds: benchSeconds,
                ...(Object.keys(benchmarks).length > 0 && {
                    results: benchmarks,
                    worst_regression_pct: worstRegression(benchmarks),
                }),
                ...(verdicts.some((v) => v !== undefined) && { verdict: worstVerdict(verdicts), shifts }),
                ...(first.benchmarks?.judge && { judge: first.benchmarks.judge }),
            },
        }),
    };
    const problems = checkDocument("hpc-results", results, paths.results);
    if (problems.length > 0)
        throw new InvalidDocumentError(problems);
    const testsSummary = results.tests && {
        schema_version: 1,
        commit,
        status: results.tests.status,
        generated_at: results.generated_at,
        ...(hasSuites && { suites, totals: results.tests.totals }),
    };
    const benchmarksSummary = results.benchmarks?.results && {
        schema_version: 1,
        commit,
        generated_at: results.generated_at,
        benchmarks,
        ...(results.benchmarks.verdict && { verdict: results.benchmarks.verdict, shifts }),
        ...(results.benchmarks.judge && { judge: results.benchmarks.judge }),
    };
    const meta = {
        schema_version: 1,
        commit,
        branch: first.branch,
        generated_at: first.generated_at,
        options: ["merge"],
        ...(results.dirty !== undefined && { dirty: results.dirty }),
        ...(results.pushed !== undefined && { pushed: results.pushed }),
    };
    await writeJsonAtomic(paths.results, results);
    if (testsSummary)
        await writeJsonAtomic(paths.testsSummary, testsSummary);
    if (benchmarksSummary)
        await writeJsonAtomic(paths.benchmarksSummary, benchmarksSummary);
    await writeJsonAtomic(paths.meta, meta);
    return { results, testsSummary, benchmarksSummary, meta };
}

;// CONCATENATED MODULE: ./.build/src/cli/merge-command.js
// `hpc-ci merge [DIR...] [--out DIR] [--no-publish]`: combine the results of `run --shard I/N` jobs.









async function mergeCommand(args, env) {
    const { values, positionals } = parseCommandLine(args, { out: { type: "string" }, "no-publish": { type: "boolean" } }, true);
    const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
    const settings = await resolveSettings(root, env);
    const shardRoot = (0,external_node_path_namespaceObject.join)(settings.resultsDir, "shards");
    const dirs = positionals.length > 0
        ? positionals.map((p) => (0,external_node_path_namespaceObject.resolve)(p))
        : (0,external_node_fs_namespaceObject.existsSync)(shardRoot)
            ? (0,external_node_fs_namespaceObject.readdirSync)(shardRoot)
                .sort()
                .map((d) => (0,external_node_path_namespaceObject.join)(shardRoot, d))
            : [];
    if (dirs.length === 0)
        throw new UsageError(`nothing to merge: give shard folders, or run shards into ${shardRoot}`);
    const out = (0,external_node_path_namespaceObject.resolve)(values.out ?? settings.resultsDir);
    const merged = await mergeShards(dirs, out, consoleLogger);
    consoleLogger.info(`merged ${dirs.length} shard(s) of ${merged.results.commit} into ${out}`);
    if (!values["no-publish"] && settings.results.publish) {
        if (!(await publishRun({ settings, log: consoleLogger }, merged)))
            return 3;
    }
    const failed = merged.results.tests?.status === "failed" ||
        merged.results.benchmarks?.status === "failed" ||
        merged.results.benchmarks?.verdict === "regression";
    return failed ? 1 : 0;
}

;// CONCATENATED MODULE: ./.build/src/doctor/check.js
// One check of `hpc-ci doctor`: what was found, and for a failure, what to do about it.
const ok = (name, detail) => ({ name, state: "ok", detail });
const skip = (name, detail) => ({ name, state: "skip", detail });
const check_fail = (name, detail, fix) => ({
    name,
    state: "fail",
    detail,
    fix,
});
function check_seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./.build/src/doctor/api-checks.js
// The GitHub side of `doctor`: is HPC_RESULTS_TOKEN accepted by the API for this repository (and may it
// write), and is this node's clock right, by the Date of a server's answer.




/** Beyond this, timestamps in results mislead and TLS, tokens and app tokens start to fail. */
const MAX_SKEW_SECONDS = 60;
const NEW_TOKEN = "make a fine-grained token with this repository under Repository access and Contents: Read and write, and put it in HPC_RESULTS_TOKEN";
async function checkToken(target) {
    if (!target.token)
        return { result: skip("token", "HPC_RESULTS_TOKEN is not set: nothing to check") };
    const repo = target.repository;
    if (!repo)
        return {
            result: check_fail("token", `which GitHub repository is ${redactUrls(target.url)}? It is not a github-style URL`, "set HPC_RESULTS_REPOSITORY_SLUG=owner/repo (or results.repository in .hpc-ci.json)"),
        };
    let answer;
    try {
        answer = await apiCall(target.apiUrl, `/repos/${repo}`, target.token, {
            timeoutMs: target.timeoutMs,
            env: target.env,
        });
    }
    catch (error) {
        const why = error instanceof UnreachableError ? error.message : String(error);
        return {
            result: check_fail("token", `the API at ${target.apiUrl} did not answer: ${why}`, "check GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3) and the network or proxy of this node"),
        };
    }
    return { result: judgeRepositoryAnswer(answer, repo, target.apiUrl), answer };
}
function judgeRepositoryAnswer(answer, repo, apiUrl) {
    const said = answerMessage(answer);
    const status = `${answer.status}${said ? ` ${said}` : ""}`;
    if (answer.status === 200) {
        let permissions;
        try {
            permissions = JSON.parse(answer.text).permissions;
        }
        catch {
            return check_fail("token", `${apiUrl} answered 200 without JSON`, "check GITHUB_API_URL: it must be GitHub's REST API");
        }
        if (permissions?.push === false)
            return check_fail("token", `accepted for ${repo}, but without write access (permissions.push is false)`, "give the token Contents: Read and write on this repository (or use an account that may push)");
        return ok("token", `accepted for ${repo}${permissions?.push ? ", with write access" : ""}`);
    }
    if (answer.status === 401)
        return check_fail("token", `rejected by ${apiUrl} (${status})`, `the token is wrong, expired or revoked: ${NEW_TOKEN}`);
    if (answer.status === 404)
        return check_fail("token", `${repo} is not visible with this token (${status})`, `check the repository name (HPC_RESULTS_REPOSITORY_SLUG) and GITHUB_API_URL; otherwise ${NEW_TOKEN}`);
    if (answer.status === 403 || answer.status === 429) {
        const limited = answer.headers["x-ratelimit-remaining"] === "0" || answer.status === 429;
        return check_fail("token", `refused by ${apiUrl} (${status})`, limited
            ? "the token's rate limit is used up: try again after an hour, or use a token of its own for the cluster"
            : "if the organization uses SAML SSO or approves fine-grained tokens, authorize or get the token approved");
    }
    return check_fail("token", `${apiUrl} answered ${status}`, "try again later; GitHub's status page tells of outages");
}
/**
 * Compares this node's clock with a server's Date: the API's answer when there was one, else the git
 * server's (its https front door; for an SSH remote the same host over https), else nothing to compare.
 */
async function checkClock(target, apiAnswer) {
    let answer = apiAnswer?.date ? apiAnswer : undefined;
    let from = target.apiUrl;
    if (!answer) {
        const probe = clockProbe(target.url);
        if (!probe)
            return skip("clock", "not checked: no HTTP server to compare with (the remote is a local path)");
        try {
            answer = await httpCall(probe, { method: "HEAD", timeoutMs: target.timeoutMs, env: target.env });
        }
        catch (error) {
            return skip("clock", `not checked: ${error instanceof Error ? error.message : String(error)}`);
        }
        from = new URL(probe).origin;
    }
    if (!answer.date)
        return skip("clock", `not checked: ${from} sent no Date`);
    const skew = (answer.localTime.getTime() - answer.date.getTime()) / 1000;
    const how = `${describeSeconds(Math.abs(skew))} ${skew > 0 ? "ahead of" : "behind"} ${from}`;
    if (Math.abs(skew) <= MAX_SKEW_SECONDS)
        return ok("clock", `${how} (up to ${MAX_SKEW_SECONDS} s is fine)`);
    return check_fail("clock", `this node's clock is ${how} (more than ${MAX_SKEW_SECONDS} s)`, "ask the cluster's admins to sync this node's clock (chrony or ntpd): results carry its timestamps, and TLS and tokens check times");
}
/** An https URL on the git server's host: the repository's own for an https remote, the host's root for SSH. */
function clockProbe(url) {
    if (isHttpRemote(url))
        return url;
    const host = remoteHost(url);
    return host ? `https://${host}/` : undefined;
}
function describeSeconds(s) {
    if (s < 120)
        return `${Math.round(s)} s`;
    if (s < 7200)
        return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
    return `${(s / 3600).toFixed(1)} h`;
}

;// CONCATENATED MODULE: ./.build/src/doctor/fixes.js
// What to do when git cannot read or write the results remote, told by git's own words.

function gitFailureFix(said, target, need) {
    const host = remoteHost(target.url) ?? "the remote";
    const https = isHttpRemote(target.url);
    if (/could not resolve host|name or service not known|temporary failure in name resolution|could not resolve hostname/i.test(said))
        return `this node cannot resolve ${host}: compute nodes often have no internet; publish from a login node (\`run --no-publish\` in the job, then \`publish\`), or set https_proxy if the cluster has a proxy`;
    if (/connection refused|timed out|no answer within|failed to connect|network is unreachable|no route to host/i.test(said))
        return `no connection to ${host}: check the firewall and proxy (https_proxy for https remotes), or publish from a login node`;
    if (/host key verification failed/i.test(said))
        return `ssh does not know ${host} yet: \`ssh-keyscan ${host} >> ~/.ssh/known_hosts\` (check the fingerprint your git host publishes)`;
    if (/permission denied \(publickey/i.test(said))
        return `the SSH key is refused: add the cluster's public key as a deploy key of the repository${need === "write" ? ' with "Allow write access"' : ""}, make ssh use it (IdentityFile in ~/.ssh/config), and test with \`ssh -T git@${host}\``;
    if (/read.only|permission to .* denied|returned error: 403|write access .* not granted/i.test(said))
        return https
            ? "the token can read but not push: give it Contents: Read and write on this repository (fine-grained token settings)"
            : 'the deploy key is read-only: tick "Allow write access" on it (repository Settings, Deploy keys)';
    if (/authentication failed|could not read username|terminal prompts disabled|returned error: 401|invalid username or password/i.test(said))
        return target.token
            ? "the server refused HPC_RESULTS_TOKEN: it is wrong, expired or revoked, or lacks this repository; make a fine-grained token for this repository with Contents: Read and write"
            : "set HPC_RESULTS_TOKEN to a fine-grained token for this repository (Contents: Read and write), or publish over SSH with a deploy key";
    if (/repository not found|not found|does not appear to be a git repository|not a git repository|returned error: 404/i.test(said))
        return `no repository at this address: check HPC_RESULTS_REPO_URL or the remote's URL (\`git remote -v\`)${target.token ? "; a fine-grained token must list this repository under Repository access" : ""}`;
    return "read git's message above; `GIT_TRACE=1 git ls-remote <url>` shows what git does";
}

;// CONCATENATED MODULE: ./.build/src/doctor/git-checks.js
// The git side of `doctor`: git itself, the results remote with the configured credential, the results
// branch, and whether a push would be accepted (a dry run: the server checks the credential's write
// access when asked for its receive-pack, and nothing is sent).









/** git reads GIT_CONFIG_COUNT (how HPC_RESULTS_TOKEN reaches it) from 2.31 on. */
const CONFIG_ENV_VERSION = [2, 31];
async function checkGit(target) {
    let said;
    try {
        said = (await git(process.cwd(), ["--version"], target.env, { timeoutMs: target.timeoutMs })).trim();
    }
    catch (error) {
        return check_fail("git", `git cannot be run: ${error instanceof Error ? error.message : String(error)}`, "put git on PATH (on many clusters: `module load git`)");
    }
    const version = /(\d+)\.(\d+)/.exec(said);
    const older = version &&
        Number(version[1]) * 1000 + Number(version[2]) < CONFIG_ENV_VERSION[0] * 1000 + CONFIG_ENV_VERSION[1];
    if (older && target.token && isHttpRemote(target.url)) {
        return check_fail("git", `${said}: older than 2.31, so it ignores GIT_CONFIG_COUNT and HPC_RESULTS_TOKEN cannot reach it`, "use git 2.31 or newer (`module load git`, or conda's git), or publish over SSH with a deploy key");
    }
    return ok("git", said);
}
/** One `git ls-remote` answers both: can we reach the remote, and does the branch exist there. */
async function checkRemote(target) {
    const where = redactUrls(target.url);
    const started = Date.now();
    let listed;
    try {
        listed = await git(process.cwd(), ["ls-remote", target.url, `refs/heads/${target.branch}`], tokenEnvironment(target.url, target.token, target.env), { timeoutMs: target.timeoutMs });
    }
    catch (error) {
        const said = error instanceof GitError ? error.message : String(error);
        return [
            check_fail("remote", `${where} cannot be read with ${credential(target)}: ${said}`, gitFailureFix(said, target, "read")),
            skip("branch", `${target.branch}: not checked (the remote cannot be read)`),
        ];
    }
    const reached = ok("remote", `${where} read with ${credential(target)} in ${check_seconds(Date.now() - started)}`);
    const tip = listed.trim().split(/\s+/)[0];
    const branch = tip
        ? ok("branch", `${target.branch} exists (tip ${tip.slice(0, 12)})`)
        : ok("branch", `${target.branch} does not exist yet: the first publish creates it`);
    return [reached, branch];
}
/** `git push --dry-run` of a throwaway commit to a branch nobody uses: asks for write access, sends nothing. */
async function checkPush(target) {
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "hpc-ci-doctor-"));
    const env = tokenEnvironment(target.url, target.token, target.env);
    try {
        await git(dir, ["init", "-q"], env);
        await git(dir, [
            "-c",
            "user.name=hpc-ci",
            "-c",
            "user.email=hpc-ci@users.noreply.github.com",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "doctor",
        ], env);
        await git(dir, ["push", "--dry-run", "-q", target.url, "HEAD:refs/heads/hpc-ci-doctor-dry-run"], env, {
            timeoutMs: target.timeoutMs,
        });
        return ok("push", `${credential(target)} may push to ${redactUrls(target.url)} (dry run: nothing was sent)`);
    }
    catch (error) {
        const said = error instanceof GitError ? error.message : String(error);
        return check_fail("push", `a push would be refused: ${said}`, gitFailureFix(said, target, "write"));
    }
    finally {
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    }
}
function credential(target) {
    if (isHttpRemote(target.url))
        return target.token ? "HPC_RESULTS_TOKEN" : "no token (HPC_RESULTS_TOKEN is not set)";
    return remoteKind(target.url) === "ssh" ? "your SSH key" : "local access";
}

;// CONCATENATED MODULE: ./.build/src/doctor/index.js
// `hpc-ci doctor`: checks, in seconds and side by side, what a publish from this node needs, and says
// for each failure what to do.



/** The oldest Node.js the CLI runs on. */
const NODE_MAJOR = 18;
function checkNode(version = process.versions.node) {
    const major = Number(version.split(".")[0]);
    return major >= NODE_MAJOR
        ? ok("node", `${version} (${NODE_MAJOR} or newer is needed)`)
        : check_fail("node", `${version} is too old`, `use Node.js ${NODE_MAJOR} or newer (\`module load nodejs\`, or a binary from nodejs.org)`);
}
async function runDoctor(target) {
    const gitVersion = checkGit(target);
    const token = checkToken(target);
    const remote = checkRemote(target);
    // A push is only worth asking about when the remote can be read at all.
    const push = remote.then((r) => (r[0].state === "ok" ? checkPush(target) : undefined));
    const clock = token.then((t) => checkClock(target, t.answer));
    const [readable, pushable] = await Promise.all([remote, push]);
    return [
        checkNode(),
        await gitVersion,
        ...readable,
        ...(pushable ? [pushable] : []),
        (await token).result,
        await clock,
    ];
}
const LABEL = { ok: "ok", fail: "FAIL", skip: "--" };
function doctor_formatReport(results) {
    const width = Math.max(...results.map((r) => r.name.length));
    const lines = [];
    for (const r of results) {
        const [first, ...more] = r.detail.split("\n");
        lines.push(`  ${LABEL[r.state].padEnd(4)}  ${r.name.padEnd(width)}  ${first}`);
        const indent = " ".repeat(width + 10);
        for (const line of more)
            lines.push(`${indent}${line}`);
        if (r.fix)
            lines.push(`${indent}fix: ${r.fix}`);
    }
    const failed = results.filter((r) => r.state === "fail").length;
    lines.push(failed === 0 ? "All checks passed." : `${failed} check(s) failed.`);
    return `${lines.join("\n")}\n`;
}

;// CONCATENATED MODULE: ./.build/src/cli/doctor-command.js
// `hpc-ci doctor`: can this node publish results? Exit 0 when every check holds, 2 otherwise.













async function doctorCommand(args, env) {
    const { values } = parseCommandLine(args, {
        remote: { type: "string" },
        branch: { type: "string" },
        timeout: { type: "string" },
    });
    const timeout = Number(values.timeout ?? 15);
    if (!Number.isFinite(timeout) || timeout <= 0)
        throw new UsageError(`--timeout must be a number of seconds, not ${JSON.stringify(values.timeout)}`);
    const root = (await repositoryRoot(process.cwd())) ?? process.cwd();
    const settings = await resolveSettings(root, env);
    const branch = values.branch ?? settings.results.branch;
    for (const warning of settings.warnings ?? [])
        consoleLogger.warn(warning);
    let url;
    let token;
    try {
        ({ url, token } = await resultsRemote(root, values.remote ?? settings.results.repoUrl ?? settings.results.remote, await resultsToken(settings)));
    }
    catch (error) {
        if (!(error instanceof PublishError))
            throw error;
        const fix = "set HPC_RESULTS_REPO_URL to the repository's URL, or run from a checkout whose `origin` is it";
        process.stdout.write(doctor_formatReport([check_fail("remote", error.message, fix)]));
        return 2;
    }
    process.stdout.write(`hpc-ci doctor: results go to ${redactUrls(url)}, branch ${branch}\n`);
    const results = await runDoctor({
        url,
        branch,
        token,
        repository: settings.results.repository ?? repositoryOfRemote(url),
        apiUrl: apiUrlOf(env, url),
        // ssh must not wait at a prompt (an unknown host key, a passphrase): it fails at once and says why.
        env: env.GIT_SSH_COMMAND || env.GIT_SSH ? env : { ...env, GIT_SSH_COMMAND: "ssh -o BatchMode=yes" },
        timeoutMs: timeout * 1000,
    });
    process.stdout.write(doctor_formatReport(results));
    return results.some((r) => r.state === "fail") ? 2 : 0;
}

;// CONCATENATED MODULE: ./.build/src/cli/main.js
// Entry of the HPC CLI: parse the command line, call the library, exit 0/1/2/3 (see usage.ts).





















const EXIT = { ok: 0, failed: 1, usage: 2, infrastructure: 3 };
async function runCommandLine(args, env) {
    const { values } = parseCommandLine(args, RUN_OPTIONS);
    const root = await repositoryRoot(process.cwd());
    if (!root && !env.HPC_CI_COMMIT) {
        throw new ConfigError(`${process.cwd()} is not in a git repository: run from a checkout (or set HPC_CI_COMMIT)`);
    }
    const settings = await resolveSettings(root ?? process.cwd(), env, values);
    const mode = runMode(values, settings.results.publish);
    for (const warning of settings.warnings ?? [])
        consoleLogger.warn(warning);
    // Before anything runs: a destination the operator must fix is said now, not after the tests.
    if (mode.publish)
        await checkDestination(settings);
    if (mode.shard)
        settings.resultsDir = (0,external_node_path_namespaceObject.resolve)(settings.resultsDir, "shards", String(mode.shard.index));
    const outcome = await runHpcCi({ settings, mode, env, log: consoleLogger, version: VERSION });
    return outcome.exitCode;
}
/** Plain http with a credential, or the default branch as the results branch: exit 2 (ConfigError). */
async function checkDestination(settings) {
    try {
        await refuseDefaultBranch(await settingsRemote(settings), settings.results.branch);
    }
    catch (error) {
        // A missing remote is the publish step's to report (exit 3), as before.
        if (!(error instanceof PublishError))
            throw error;
    }
}
async function main(argv, env = process.env) {
    const [command, ...rest] = argv;
    // `<command> --help` is help, not an unknown flag of the command.
    if (command && COMMANDS.includes(command) && rest.some((a) => a === "--help" || a === "-h"))
        return main(["--help"], env);
    try {
        switch (command) {
            case undefined:
            case "-h":
            case "--help":
            case "help":
                process.stdout.write(usage());
                return command === undefined ? EXIT.usage : EXIT.ok;
            case "-V":
            case "--version":
                process.stdout.write(`hpc-ci ${VERSION}\n`);
                return EXIT.ok;
            case "run":
                return await runCommandLine(rest, env);
            case "publish":
                return await publishCommand(rest, env);
            case "validate":
                return await validateCommand(rest);
            case "coverage":
                return await coverageCommand(rest);
            case "submit":
                return await submitCommand(rest, env);
            case "merge":
                return await mergeCommand(rest, env);
            case "doctor":
                return await doctorCommand(rest, env);
            default:
                throw new UsageError(`unknown command ${JSON.stringify(command)}${didYouMean(command, COMMANDS)}`);
        }
    }
    catch (error) {
        return report(error);
    }
}
/** One clear line (or a list of document problems) and an exit code; never a stack trace. */
function report(error) {
    const log = consoleLogger;
    if (error instanceof UsageError || error.code?.startsWith("ERR_PARSE_ARGS")) {
        log.error(`${error.message}\n(see \`${invokedAs()} --help\`)`);
        return EXIT.usage;
    }
    if (error instanceof ConfigError) {
        log.error(`configuration: ${error.message}`);
        return EXIT.usage;
    }
    if (error instanceof InvalidDocumentError) {
        for (const e of error.errors)
            log.error(formatContractError(e));
        return EXIT.usage;
    }
    if (error instanceof BatchScriptError) {
        log.error(`slurm settings: ${error.message}`);
        return EXIT.usage;
    }
    if (error instanceof CheckoutError || error instanceof SubmitError) {
        log.error(error.message);
        return EXIT.infrastructure;
    }
    log.error(error instanceof Error ? error.message : String(error));
    if (process.env.HPC_CI_DEBUG && error instanceof Error && error.stack)
        process.stderr.write(`${error.stack}\n`);
    return EXIT.infrastructure;
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(479);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
