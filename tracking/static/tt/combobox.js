/* The project picker: an accessible combobox (WAI-ARIA 1.2, list autocomplete) over a plain <select data-combobox>.
   Type to filter (name, client, code), arrow keys to move, Enter or Tab to pick, Escape to close. Projects used
   recently come first; each option shows its colour and client. Without this file the <select> works as it is. */
(function () {
  "use strict";

  var counter = 0;

  function optionData(select) {
    var recent = (select.dataset.recent || "").split(",").filter(Boolean);
    var items = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      items.push({
        value: option.value,
        label: option.text,
        name: option.dataset.name || option.text,
        client: option.dataset.client || "",
        color: option.dataset.color || "#94a3b8",
        search: (option.text + " " + (option.dataset.code || "")).toLowerCase(),
        recent: recent.indexOf(option.value)
      });
    });
    items.sort(function (a, b) {
      var ra = a.recent === -1 ? 1e6 : a.recent, rb = b.recent === -1 ? 1e6 : b.recent;
      return ra - rb;
    });
    return items;
  }

  function build(select) {
    if (select.dataset.comboboxReady) { return; }
    select.dataset.comboboxReady = "1";
    counter += 1;
    var id = "combo-" + counter;
    var wrap = document.createElement("div");
    wrap.className = "combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.className = "combobox-input project-search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    input.setAttribute("autocomplete", "off");
    input.placeholder = select.dataset.placeholder || "Project…";
    var chip = document.createElement("span");
    chip.className = "dot combobox-chip";
    chip.setAttribute("aria-hidden", "true");
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) {
      if (!label.id) { label.id = select.id + "-label"; }
      label.htmlFor = id;
      list.setAttribute("aria-labelledby", label.id);
    }
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(chip);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    // The <select> stays in the form (it is what is submitted) but is hidden from people and assistive technology.
    select.classList.add("visually-hidden");
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    var items = optionData(select);
    var shown = [];
    var active = -1;

    function selected() {
      for (var i = 0; i < items.length; i += 1) { if (items[i].value === select.value) { return items[i]; } }
      return null;
    }

    function showSelected() {
      var item = selected();
      input.value = item ? item.label : "";
      chip.style.background = item ? item.color : "transparent";
    }

    function render() {
      list.textContent = "";
      shown.forEach(function (item, index) {
        var li = document.createElement("li");
        li.id = id + "-opt-" + item.value;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", index === active ? "true" : "false");
        li.dataset.value = item.value;
        var dot = document.createElement("span");
        dot.className = "dot";
        dot.style.background = item.color;
        dot.setAttribute("aria-hidden", "true");
        var name = document.createElement("span");
        name.className = "combobox-name";
        name.textContent = item.name;
        li.appendChild(dot);
        li.appendChild(name);
        if (item.client) {
          var client = document.createElement("span");
          client.className = "combobox-client";
          client.textContent = item.client;
          li.appendChild(client);
        }
        if (item.recent !== -1 && index === 0 && !input.value.trim()) { li.classList.add("first-recent"); }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(item); });
        list.appendChild(li);
      });
      if (active >= 0 && shown[active]) {
        input.setAttribute("aria-activedescendant", id + "-opt-" + shown[active].value);
        var node = document.getElementById(id + "-opt-" + shown[active].value);
        if (node && node.scrollIntoView) { node.scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(filterText) {
      var needle = (filterText || "").trim().toLowerCase();
      shown = items.filter(function (item) { return !needle || item.search.indexOf(needle) !== -1; });
      active = shown.length ? 0 : -1;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = shown.length ? shown.length + " project" + (shown.length === 1 ? "" : "s") : "No matching project";
      render();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      select.value = item.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      showSelected();
      close();
    }

    function move(step) {
      if (list.hidden) { open(""); return; }
      if (!shown.length) { return; }
      active = (active + step + shown.length) % shown.length;
      render();
    }

    input.addEventListener("input", function () { open(input.value); });
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) { event.preventDefault(); choose(shown[active]); }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); showSelected(); }
      } else if (event.key === "Tab") {
        if (!list.hidden && active >= 0 && input.value.trim()) { choose(shown[active]); } else { close(); }
      }
    });
    input.addEventListener("blur", function () {
      // Emptied by the person: "no project" where the <select> offers it (a filter's "All projects").
      if (!input.value.trim() && select.value && select.querySelector("option[value='']")) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      close();
      showSelected();
    });
    select.addEventListener("change", showSelected);
    showSelected();
  }

  function init(root) {
    root.querySelectorAll("select[data-combobox]").forEach(build);
  }

  // For pickers whose options are filled in by another script first (the rows of the entries list: inline.js).
  window.ttCombobox = { build: build };

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    document.body.addEventListener("htmx:load", function (event) { init(event.target); });
  });
})();
