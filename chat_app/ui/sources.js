// kzqa's page script: citation markers, source cards, the article viewer, the details setting.
// It runs as the article viewer's js_on_load (gr.HTML), where `element` is the viewer, `trigger`
// sends it an event, `props` holds its value and `watch` reports a new value. Replies in the chat
// are sanitized by gradio (no scripts, no data-* attributes), so everything here works by event
// delegation on the document and finds cards and quotes by the ids answer_html gives them:
// card kz-src-<reply>-<n>, quote kz-q-<reply>-<n>.
const kz = window.kzqaPage || (window.kzqaPage = {});
kz.viewer = element;
kz.trigger = trigger;
kz.props = props;

const touch = () => window.matchMedia("(hover: none)").matches;
const calm = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

function cardOf(marker) {
  const target = (marker.getAttribute("href") || "").slice(1);
  return target.startsWith("kz-src-") ? document.getElementById(target) : null;
}

function replyOf(card) {
  const [, , reply, cite] = card.id.split("-"); // kz-src-<reply>-<n>
  return { reply, cite: Number(cite) };
}

function quoteOf(marker, card) {
  const number = marker.textContent.replace(/\D/g, "");
  const { reply } = replyOf(card);
  return document.getElementById(`kz-q-${reply}-${number}`) || card.querySelector("mark.kz-quote");
}

// -- the preview: the quote with its source and date, beside the marker -------------------------
function tip() {
  let box = document.getElementById("kz-tip");
  if (!box) {
    box = document.createElement("div");
    box.id = "kz-tip";
    box.setAttribute("role", "tooltip");
    document.body.appendChild(box);
  }
  return box;
}

function showPreview(marker) {
  const card = cardOf(marker);
  if (!card) return;
  const quote = quoteOf(marker, card);
  const box = tip();
  box.replaceChildren(); // built from text nodes only: nothing from a document is parsed as HTML
  const text = document.createElement("div");
  text.className = "kz-tip-quote";
  text.textContent = `“${quote ? quote.textContent.trim() : ""}”`;
  const source = document.createElement("div");
  source.className = "kz-tip-source";
  const title = card.querySelector(".kz-title");
  const meta = card.querySelector(".kz-source-head .kz-meta");
  source.textContent = [title && title.textContent, meta && meta.textContent].filter(Boolean).join(" · ");
  box.append(text, source);
  box.classList.add("kz-tip-shown");
  const at = marker.getBoundingClientRect();
  const width = box.offsetWidth;
  const height = box.offsetHeight;
  const left = Math.max(8, Math.min(at.left, window.innerWidth - width - 8));
  const below = at.bottom + 6 + height <= window.innerHeight;
  box.style.left = `${left}px`;
  box.style.top = `${below ? at.bottom + 6 : Math.max(8, at.top - height - 6)}px`;
  document.querySelectorAll("a.kz-marker.kz-previewed").forEach((other) => other.classList.remove("kz-previewed"));
  marker.classList.add("kz-previewed");
}

function hidePreview() {
  const box = document.getElementById("kz-tip");
  if (box) box.classList.remove("kz-tip-shown");
  document.querySelectorAll("a.kz-marker.kz-previewed").forEach((marker) => marker.classList.remove("kz-previewed"));
}

// -- a marker's click: open its card, bring it into view and highlight it ----------------------
function goToCard(marker) {
  const card = cardOf(marker);
  if (!card) return;
  card.open = true;
  document.querySelectorAll(".kz-card.kz-target").forEach((other) => other.classList.remove("kz-target"));
  document.querySelectorAll("mark.kz-quote-target").forEach((other) => other.classList.remove("kz-quote-target"));
  void card.offsetWidth; // restart the highlight's animation when the same card is chosen again
  card.classList.add("kz-target");
  const quote = quoteOf(marker, card);
  if (quote) quote.classList.add("kz-quote-target");
  card.scrollIntoView({ block: "center", behavior: calm() ? "auto" : "smooth" });
}

// -- the article viewer ----------------------------------------------------------------------
function openArticle(button) {
  const card = button.closest("details.kz-card");
  if (!card) return;
  kz.opener = button;
  button.classList.add("kz-opening");
  const wanted = replyOf(card);
  const chosen = card.querySelector("mark.kz-quote-target"); // the quote whose marker led here: kz-q-<reply>-<n>
  if (chosen) wanted.cite = Number(chosen.id.split("-")[3]);
  kz.trigger("click", wanted);
}

function closeArticle() {
  if (!kz.props.value) return;
  kz.props.value = "";
  document.documentElement.classList.remove("kz-viewer-open");
  if (kz.opener) kz.opener.focus({ preventScroll: true });
}

function showArticle() {
  document.querySelectorAll(".kz-read.kz-opening").forEach((button) => button.classList.remove("kz-opening"));
  const dialog = kz.viewer.querySelector(".kz-viewer");
  if (!dialog) {
    document.documentElement.classList.remove("kz-viewer-open");
    return;
  }
  document.documentElement.classList.add("kz-viewer-open");
  window.getSelection().removeAllRanges(); // a tap's stray selection would sit on the article
  const body = dialog.querySelector(".kz-viewer-body");
  const quote = dialog.querySelector("#kz-viewer-quote");
  if (body && quote) {
    // .kz-viewer-body is the quote's offsetParent: put the quote a third of the way down.
    body.scrollTop = Math.max(0, quote.offsetTop - body.clientHeight / 3);
  }
  const close = dialog.querySelector(".kz-viewer-close");
  if (close) close.focus({ preventScroll: true });
}

watch("value", showArticle);

// -- the chat: a new question comes to the top of the window, and the page scrolls once --------
function followNewQuestions(tries = 50) {
  if (kz.observer) return;
  const chat = document.getElementById("kz-chat");
  if (!chat) {
    if (tries > 0) setTimeout(() => followNewQuestions(tries - 1), 100); // the chat may mount after the viewer
    return;
  }
  let questions = chat.querySelectorAll(".user-row").length;
  kz.observer = new MutationObserver(() => {
    const rows = chat.querySelectorAll(".user-row");
    if (rows.length > questions) {
      const last = rows[rows.length - 1];
      const top = last.getBoundingClientRect().top + window.scrollY - 12;
      window.scrollTo({ top, behavior: calm() ? "auto" : "smooth" });
    }
    questions = rows.length;
  });
  kz.observer.observe(chat, { childList: true, subtree: true });
}

function focusQuestionOnDesktop(tries = 50) {
  // On a phone focusing the box would open the keyboard and scroll the page down to it.
  if (touch() || window.innerWidth < 700) return;
  const box = document.querySelector("#kz-question textarea");
  if (!box) {
    if (tries > 0) setTimeout(() => focusQuestionOnDesktop(tries - 1), 100);
    return;
  }
  if (document.activeElement === document.body) box.focus({ preventScroll: true });
}

if (!kz.installed) {
  kz.installed = true;
  document.addEventListener("click", (event) => {
    const marker = event.target.closest("a.kz-marker");
    if (marker) {
      event.preventDefault();
      if (touch() && !marker.classList.contains("kz-previewed")) {
        showPreview(marker); // a tap shows the preview; a second tap goes to the card
        return;
      }
      hidePreview();
      goToCard(marker);
      return;
    }
    hidePreview();
    const read = event.target.closest(".kz-read");
    if (read) {
      openArticle(read);
      return;
    }
    if (event.target.closest(".kz-viewer-close") || event.target.classList.contains("kz-viewer-backdrop")) {
      closeArticle();
    }
  });
  document.addEventListener("mouseover", (event) => {
    const marker = event.target.closest && event.target.closest("a.kz-marker");
    if (marker && !touch()) showPreview(marker);
  });
  document.addEventListener("mouseout", (event) => {
    const marker = event.target.closest && event.target.closest("a.kz-marker");
    if (marker && !touch() && !marker.contains(event.relatedTarget)) hidePreview();
  });
  document.addEventListener("focusin", (event) => {
    // Keyboard focus only: a tap focuses the marker too, and its click decides what the tap does.
    if (event.target.matches && event.target.matches("a.kz-marker:focus-visible")) showPreview(event.target);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target.matches && event.target.matches("a.kz-marker")) hidePreview();
  });
  window.addEventListener("scroll", hidePreview, { passive: true });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hidePreview();
      closeArticle();
    }
  });
  document.addEventListener("change", (event) => {
    const toggle = event.target.closest && event.target.closest("#kz-details-toggle");
    if (toggle) document.documentElement.classList.toggle("kz-details", event.target.checked);
  });
}
followNewQuestions();
focusQuestionOnDesktop();
