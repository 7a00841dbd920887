"""A browser's User-Agent string in words: "Chrome on Android phone", "Safari on iPad".

Parsed by ua-parser (its rules are the `ua-parser-builtins` package, updated monthly): the
browser, the system and the device kind, said as a person names their own devices.
"""

from functools import lru_cache

from ua_parser import parse

# ua-parser's family names, in the words people use for the same browser.
BROWSERS = {
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "an Android app",
    "HeadlessChrome": "Chrome (automated)",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "an iPhone app",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Edge Mobile": "Edge",
    "Samsung Internet": "Samsung Internet",
}
SYSTEMS = {
    "Mac OS X": "Mac",
    "Windows": "Windows computer",
    "Linux": "Linux computer",
    "Ubuntu": "Linux computer",
    "Chrome OS": "Chromebook",
}


@lru_cache(maxsize=256)
def device_words(user_agent: str) -> str:
    """The browser and the device in words; "Unknown browser" when the string says nothing."""
    result = parse(user_agent or "")
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if not browser or browser == "Other":
        return "Unknown browser"
    name = BROWSERS.get(browser, browser)
    device = _device(system, result.device.family if result.device else "", user_agent)
    return f"{name} on {device}" if device else name


def _device(system: str, family: str, user_agent: str) -> str:
    if system == "iOS":
        return "iPad" if family == "iPad" else "iPhone"
    if system == "Android":
        # Android browsers say "Mobile" on phones and leave it out on tablets.
        return "Android phone" if "Mobile" in user_agent else "Android tablet"
    if system in SYSTEMS:
        return SYSTEMS[system]
    return system if system and system != "Other" else ""
