"""The exercise checks of module "how-apps-work": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

from martech.checks import NotYet, expect_choice, task
from martech.modules.how_apps_work.demos import MEMBERS, loyalty_state
from martech.modules.how_apps_work.sdk import APP  # noqa: F401  (the exercise reads it)

NATIVE, WEB, PWA = "a", "b", "c"
CHOICES = {NATIVE: "a native app", WEB: "a web app", PWA: "a PWA"}


@task
def poster_campaign(choice):
    expect_choice(choice, WEB, {
        NATIVE: "A native app must pass store review before the week starts, and each passer-by must install it "
                "before they see anything. For a one-week campaign reached from posters, that friction loses most people.",
        PWA: "A PWA would work, but nobody installs an app for a one-week campaign, and offline use adds nothing "
             "here. The plain web app gives the same reach for less work."})
    return "a link or QR code opens a web app at once, with no store, no install and no review."


@task
def home_screen_widget(choice):
    expect_choice(choice, NATIVE, {
        WEB: "A web page cannot put a widget on the phone's Home Screen, or watch the location in the background "
             "to greet members near a store. Those need the phone's own APIs.",
        PWA: "Installing a PWA gives it an icon, not the phone's own APIs: Home Screen widgets and background "
             "location (geofencing) are still out of a web app's reach."})
    return "widgets and background location are native-only features, so they decide for a native app."


@task
def basement_balance(choice):
    expect_choice(choice, PWA, {
        NATIVE: "A native app would also work offline, but it costs two apps, two store reviews and a release for "
                "each change. Nothing here needs a native-only feature.",
        WEB: "A plain web app shows nothing without a network. A service worker, which is what makes it a PWA, keeps "
             "the app and the last balance for the basement with no signal."})
    return "a service worker keeps the app shell and the last balance, so the PWA opens offline, from one code base."


@task
def iphone_reminders(choice):
    expect_choice(choice, NATIVE, {
        WEB: "Since iOS 16.4, a web app on iPhone can ask for push only after the member adds it to the Home Screen. "
             "These members will not, so a web app cannot reach them with a reminder.",
        PWA: "A PWA gets web push on iPhone only once the member adds it to the Home Screen (iOS 16.4 and later). "
             "Members who will not install anything never see the permission prompt."})
    return ("on iPhone, only a native app, or a web app the member added to the Home Screen, may ask for "
            "push. For members who install nothing from the web, the native app is the way.")


def _running_loyalty(site):
    server = getattr(site, "server", None)
    if getattr(site, "name", None) != "loyalty" or server is None:
        raise NotYet('give the running API as the second answer: api = demo_server("loyalty", rate_limit=2).')
    return loyalty_state(server)


@task
def all_members(members, api):
    state = _running_loyalty(api)
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise NotYet("members should be a list of the member dicts from each page's \"data\", added together "
                     "(members += page[\"data\"]).")
    ids = [m.get("id") for m in members]
    key = "read-key-123"
    refused, ignored = state.refused.get(key, 0), state.ignored.get(key, 0)
    if ignored:
        raise NotYet(f"the API told you to wait (Retry-After), and you sent {ignored} request(s) before the wait "
                     "was over. After a 429, sleep for int(response.header(\"Retry-After\")) seconds, then ask again.")
    if len(set(ids)) < len(MEMBERS):
        short = len(MEMBERS) - len(set(ids))
        hint = ("a 429 answer has no \"data\": retry the same page after the wait instead of moving on."
                if refused else "follow \"next\" until it is None: the first page is not everything.")
        raise NotYet(f"{short} of the {len(MEMBERS)} members are missing; {hint}")
    if len(ids) != len(set(ids)):
        raise NotYet("some members appear twice: after a 429, ask for the same page again, but add its data only once.")
    return (f"all {len(MEMBERS)} members, and the API answered 429 {refused} time(s): each time you waited as "
            "Retry-After said. That is what an app must do, or its key gets blocked.")


@task
def broken_deep_link(choice):
    expect_choice(choice, "b", {
        "a": "The file is there: fetch(broken.url + \"/.well-known/assetlinks.json\") answers 200 with JSON.",
        "c": "Compare target.package_name in the file with APP[\"android_package\"]: they are the same.",
        "d": "On Android, the app's manifest sets the paths, and this assetlinks.json lists none. The path is not "
             "what fails here: look at the sha256_cert_fingerprints."})
    return ("Android checks that the site names the key the app is really signed with. A fingerprint of the "
            "upload key instead of Google Play's signing key fails that check, so the link opens the browser.")
