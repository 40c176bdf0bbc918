"""Anti-crawl simulators (cms.md §4, §7.10). Each answers every request to its host; none ever
lets a non-JS client through, so a crawler must classify the site as blocked, not empty.

- ruishu: 瑞数 412 with a `$_ts` stub and a Set-Cookie named `…S` (ruishu-200: same stub, status 200)
- jsl: 加速乐 521 `document.cookie=…;location.href=…`, then a `go({...})` second step, forever
- wzws: 302 to /WZWSREL{base64(path)}, which answers a `wzwsquestion` arithmetic challenge page
"""

from __future__ import annotations

import base64
import hashlib

Response = tuple[int, list[tuple[str, str]], bytes]


def _tok(*parts: object, n: int = 16) -> str:
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:n]


def ruishu(status: int, host: str, path: str) -> Response:
    seed = _tok(host, "seed", n=32)
    body = (
        "<!DOCTYPE html><html><head>"
        f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        f'<meta id="9DhefwqGPrzGxEp9hPaoag" content="{seed}" r=\'m\'>'
        "<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
        f'$_ts.nsd=84739;$_ts.cd="{base64.b64encode(seed.encode()).decode()}qqqlrrAqEGlwrrAq";</script>'
        '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r=\'m\'>'
        "</script></head><body><script type=\"text/javascript\" r='m'>"
        "(function(){var _$rK=0,_$bW=$_ts.scj,_$nW=$_ts.aebi;function _$gL(){}})();</script>"
        "</body></html>"
    )
    cookie = f"FSSBBIl1UgzbN7N80S=6{_tok(host, path, n=40)}; Path=/; HttpOnly"
    return (
        status,
        [("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", cookie)],
        body.encode(),
    )


def jsl(host: str, path: str, cookie: str) -> Response:
    if "__jsluid_h=" not in cookie:
        body = (
            "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+"
            "('a')+('n')+('c')+('e')+('=')+(-~[]+'')+(8+'')+'|-1|'+(-~0+'')+'|'+"
            f"'{_tok(host, 'c1', n=24)}'+';Max-age=3600;path=/';"
            "location.href=location.pathname+location.search</script>"
        )
        cookie_h = f"__jsluid_h={_tok(host, path, n=32)}; max-age=31536000; path=/; HttpOnly"
        return 521, [("Content-Type", "text/html"), ("Set-Cookie", cookie_h)], body.encode()
    body = (
        "<script>var _0x3b2a=['\\x63\\x6f\\x6f\\x6b\\x69\\x65'];function go(_0x1){var _0x2=_0x1['chars'];"
        "for(var i=0;i<_0x2.length;i++){}document[_0x3b2a[0]]=_0x1['tn']+'='+_0x1['ct']+';Max-age='+"
        "_0x1['vt']+';path=/';location['href']=location['pathname']+location['search']}"
        f'go({{"bts":["1764{_tok(host, "b", n=6)}.|0|","Lh%2F{_tok(host, "c", n=10)}%3D"],'
        f'"chars":"abcdefghijklmnopqrstuvwxyz","ct":"{_tok(host, path, cookie, n=40)}","ha":"sha1",'
        '"is":true,"tn":"__jsl_clearance","vt":"3600","wt":"1500"})</script>'
    )
    return 521, [("Content-Type", "text/html")], body.encode()


def wzws(host: str, path: str, query: str) -> Response:
    if not path.startswith("/WZWSREL"):
        full = path + (f"?{query}" if query else "")
        loc = "/WZWSREL" + base64.b64encode(full.encode()).decode().rstrip("=")
        return 302, [("Location", loc), ("Content-Type", "text/html")], b""
    body = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        '<script type="text/javascript">'
        f'var wzwsquestion="{_tok(host, "q", n=8)}";var wzwsfactor="{int(_tok(host, "f", n=4), 16)}";'
        'var wzwsmethod="post";var wzwsparams="";var dynamicurl="' + path + '";'
        "function wzwschallenge(){var a=0;for(var i=0;i<wzwsquestion.length;i++){a+=wzwsquestion.charCodeAt(i);}"
        "a*=wzwsfactor;a+=111111;return 'WZWS_CONFIRM_PREFIX_LABEL'+a;}"
        "</script><noscript>请开启JavaScript并刷新该页.</noscript></body></html>"
    )
    return (
        200,
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", f"wzws_sessionid={_tok(host, path, n=32)}; path=/"),
        ],
        body.encode(),
    )


def answer(block: str | None, host: str, path: str, query: str, cookie: str) -> Response | None:
    if block == "ruishu":
        return ruishu(412, host, path)
    if block == "ruishu-200":
        return ruishu(200, host, path)
    if block == "jsl":
        return jsl(host, path, cookie)
    if block == "wzws":
        return wzws(host, path, query)
    return None
