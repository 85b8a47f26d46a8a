"""The first journey: the home page loads, its search box searches, sign-in works."""

from playwright.sync_api import Page, expect

from marketplace.demo.seed import DEMO_PASSWORD


def test_home_search_and_sign_in(page: Page, artifacts_dir):
    page.goto("/")
    expect(page).to_have_title("Kneaded: find therapeutic massage you can trust")
    expect(page.get_by_text("Solely Therapeutic Massage").first).to_be_visible()

    page.get_by_label("Technique, condition or clinic").fill("Solely")
    page.get_by_label("Near", exact=True).fill("33701")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url("/search?q=Solely&near=33701&radius_mi=25")
    expect(page.locator(".result").first).to_contain_text("Solely Therapeutic Massage")
    page.screenshot(path=str(artifacts_dir / "search-results.png"), full_page=True)

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail").fill("client@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text("Welcome back")


def test_home_page_on_a_phone(phone_page: Page):
    phone_page.goto("/")
    expect(phone_page.get_by_role("button", name="Search")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Near", exact=True).fill("80210")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".result").first).to_be_visible()
    expect(page.get_by_text("Center for Massage Therapy").first).to_be_visible()
    context.close()
