"""Drives VS Code's workbench (in code-server) the way a user does: keyboard, palette,
Problems panel. Every step waits for the DOM state it needs, with generous timeouts:
the machine running CI is shared and slow."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

SLOW = 120_000  # ms: the server's first analysis, code-server's first load
STEP = 30_000  # ms: one UI reaction


class Workbench:
    def __init__(self, page: Page, url: str, workspace: Path, screenshots: Path):
        self.page = page
        self.url = url
        self.workspace = workspace
        self.screenshots = screenshots

    # ----- session -------------------------------------------------------------------

    def open(self) -> None:
        for attempt in range(3):  # code-server's first page load can time out while it warms up
            try:
                self.page.goto(f"{self.url}/?folder={self.workspace}", timeout=SLOW)
                self.page.locator(".monaco-workbench").wait_for(timeout=SLOW)
                self.page.locator(".explorer-folders-view, .explorer-viewlet").first.wait_for(timeout=SLOW)
                return
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
                time.sleep(5)

    def screenshot(self, name: str) -> None:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.screenshots / f"{name}.png"))

    # ----- commands and files ---------------------------------------------------------

    def run_command(self, title: str) -> None:
        """Runs a palette command by its exact title."""
        self.open_palette(f">{title}")
        row = self.page.locator(".quick-input-list .monaco-list-row", has_text=title).first
        row.wait_for(state="visible", timeout=STEP)
        self.page.keyboard.press("Enter")
        self.page.locator(".quick-input-widget").wait_for(state="hidden", timeout=STEP)

    def open_palette(self, text: str) -> None:
        """Opens the command palette and types `text`. The workbench sometimes takes focus back
        just after the palette opens (a notebook finishing its render), closing it: try again."""
        box = self.page.locator(".quick-input-widget input")
        for attempt in range(3):
            self.page.keyboard.press("Escape")
            self.page.keyboard.press("F1")
            try:
                box.wait_for(state="visible", timeout=STEP)
                box.fill(text, timeout=5_000)
                return
            except PlaywrightTimeout:
                if attempt == 2:
                    raise

    def run_command_with_input(self, title: str, placeholder: str, answer: str) -> None:
        """Runs a palette command that asks for a value in an input box."""
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("F1")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=STEP)
        box.fill(f">{title}")
        self.page.locator(".quick-input-list .monaco-list-row", has_text=title).first.wait_for(timeout=STEP)
        self.page.keyboard.press("Enter")
        prompt = self.page.locator(f'.quick-input-widget input[placeholder="{placeholder}"]')
        prompt.wait_for(state="visible", timeout=SLOW)
        prompt.fill(answer)
        self.page.keyboard.press("Enter")

    def open_file(self, relative: str) -> None:
        """Quick Open (Ctrl+P) by workspace-relative path, as a user types it."""
        self.page.keyboard.press("Escape")
        self.page.keyboard.press("Control+P")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=STEP)
        name = Path(relative).name
        folder = str(Path(relative).parent)
        box.fill(name)
        rows = self.page.locator(".quick-input-list .monaco-list-row", has_text=name)
        rows.first.wait_for(state="visible", timeout=STEP)
        # The row of this file: its description is the folder ("" at the root).
        for _ in range(STEP // 500):
            for index in range(rows.count()):
                label = rows.nth(index).get_attribute("aria-label") or ""
                in_root = folder == "." and "/" not in label.replace(name, "", 1).strip(" ,")
                if (folder != "." and folder in label) or (folder == "." and in_root):
                    rows.nth(index).click()
                    self.page.locator(".quick-input-widget").wait_for(state="hidden", timeout=STEP)
                    self.active_tab(name).wait_for(timeout=STEP)
                    return
            time.sleep(0.5)
        raise AssertionError(f"Quick Open did not list {relative}")

    def active_tab(self, name: str) -> Locator:
        return self.page.locator(".tab.active", has_text=name)

    def save_without_fixes(self) -> None:
        """Saves without save participants: no fix-on-save."""
        self.run_command("File: Save without Formatting")

    def wait_saved(self, name: str) -> None:
        self.page.locator(".tab.active.dirty", has_text=name).wait_for(state="detached", timeout=SLOW)

    # ----- problems -------------------------------------------------------------------

    def show_problems(self) -> Locator:
        self.run_command("View: Focus Problems (Errors, Warnings, Infos)")
        panel = self.page.locator(".markers-panel")
        panel.wait_for(state="visible", timeout=STEP)
        return panel

    def problem_rows(self) -> list[str]:
        """The Problems panel's rows, files and findings alike: each row's aria-label
        ("... at line 76 and character 12 ...") and its text (which shows the code)."""
        rows = self.page.locator(".markers-panel .monaco-list-row")
        texts = []
        for index in range(rows.count()):
            row = rows.nth(index)
            try:
                texts.append(f"{row.get_attribute('aria-label', timeout=2000) or ''} | {row.inner_text(timeout=2000)}")
            except PlaywrightTimeout:  # the list re-rendered under us: read it again next time
                continue
        return texts

    def wait_for_problems(self, codes: set[str], timeout: float = SLOW / 1000) -> list[str]:
        """Waits until every code in `codes` shows in the Problems panel; returns its rows."""
        deadline = time.monotonic() + timeout
        rows: list[str] = []
        while time.monotonic() < deadline:
            rows = self.problem_rows()
            if codes <= {code for row in rows for code in re.findall(r"\bML\d{3}\b", row)}:
                return rows
            time.sleep(1)
        raise AssertionError(f"the Problems panel never showed {sorted(codes)}; it showed: {rows}")

    def filter_problems(self, text: str) -> None:
        """Types into the Problems panel's filter (Ctrl+F in the panel): few rows, none
        hidden by scrolling."""
        self.show_problems()
        self.page.keyboard.press("Control+F")
        self.page.keyboard.press("Control+A")
        if text:
            self.page.keyboard.type(text)
        else:
            self.page.keyboard.press("Backspace")

    def open_problem(self, code: str, line: int, column: int) -> None:
        """Double-clicks the row of the finding `code` at line:column (as the panel shows it)."""
        self.filter_problems(code)
        row = self.page.locator(".markers-panel .monaco-list-row", has_text=code).filter(
            has_text=f"[Ln {line}, Col {column}]").first
        row.wait_for(state="visible", timeout=SLOW)
        row.dblclick()
        self.page.mouse.move(1, 1)

    def notebook_cell(self) -> int:
        """The 1-based index, among all cells, of the notebook's active cell (status bar)."""
        item = self.page.locator(".statusbar-item", has_text=re.compile(r"Cell \d+ of \d+")).first
        item.wait_for(timeout=STEP)
        return int(re.search(r"Cell (\d+) of", item.inner_text()).group(1))

    def click_problem(self, text: str) -> None:
        """Opens a finding by double-clicking its row, as a user does: the editor gets the
        focus with the finding selected (in a notebook: in its cell)."""
        row = self.page.locator(".markers-panel .monaco-list-row", has_text=text).first
        row.wait_for(state="visible", timeout=STEP)
        row.dblclick()
        self.page.mouse.move(1, 1)  # away from the row, whose own tooltip would show

    def go_to(self, line: int, column: int) -> None:
        """Ctrl+G in the focused editor: the cursor to line:column (1-based)."""
        self.page.keyboard.press("Control+1")  # focus the editor
        self.page.keyboard.press("Control+G")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=STEP)
        box.fill(f":{line}:{column}")
        self.page.keyboard.press("Enter")
        self.page.locator(".quick-input-widget").wait_for(state="hidden", timeout=STEP)
        status = self.page.locator(".statusbar-item", has_text=re.compile(rf"Ln {line}, Col {column}\b"))
        status.first.wait_for(timeout=STEP)

    # ----- editor ---------------------------------------------------------------------

    def hover_text(self, containing: str) -> str:
        """Shows the editor's hover at the cursor (Ctrl+K Ctrl+I) and returns its text."""
        self.page.keyboard.press("Control+K")
        self.page.keyboard.press("Control+I")
        hover = self.page.locator(".monaco-editor .monaco-hover", has_text=containing).first
        hover.wait_for(state="visible", timeout=STEP)
        return hover.inner_text()

    def apply_quick_fix(self, title: str) -> None:
        """Ctrl+. at the cursor, then the action of that title."""
        item = self.page.locator(".action-widget .monaco-list-row", has_text=title).first
        for attempt in range(3):  # asked before the server's first answer, the menu opens empty
            self.page.keyboard.press("Escape")
            self.page.keyboard.press("Control+.")
            try:
                item.wait_for(state="visible", timeout=STEP // 3)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        item.click()
        item.wait_for(state="hidden", timeout=STEP)

    def webview_frame_with(self, selector: str, text: str, timeout: float = SLOW / 1000):
        """The webview frame (Markdown preview, ...) that shows `selector` with `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.page.frames:
                try:
                    if frame.locator(selector, has_text=text).count() > 0:
                        return frame
                except Exception:  # a frame navigating or detached while we look
                    continue
            time.sleep(1)
        raise AssertionError(f"no webview showed {selector} with {text!r}")

    def type_at_end(self, text: str) -> None:
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)
