/* Editing time entries on their rows: the description, project, start, end and duration of a row are fields; a
   field is saved when it is left (Tab, Enter, a click elsewhere) through POST entries/<id>/inline/, which answers the
   row's day group and the page's totals (swapped in) or the reason it refused (shown by the field, announced; the
   typed value stays for correction). Escape puts the saved value back. Without this file the rows are plain fields
   and the full edit form ("Edit") still works. */
(function () {
  "use strict";

  var swapping = false;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function initial(field) {
    return field.tagName === "SELECT" ? field.dataset.initial : field.defaultValue;
  }

  // The element a person types into for this field (the project's is the combobox input over the <select>).
  function visible(field) {
    if (field.tagName !== "SELECT") { return field; }
    var cell = field.closest(".inline-field");
    return (cell && cell.querySelector(".combobox-input")) || field;
  }

  function announce(text) {
    var status = document.getElementById("inline-status");
    if (status) { status.textContent = text; }
  }

  function clearError(field) {
    var shown = visible(field);
    var error = document.getElementById(field.id + "-error");
    if (error) { error.remove(); }
    shown.removeAttribute("aria-invalid");
    shown.removeAttribute("aria-describedby");
    var cell = field.closest(".inline-field");
    if (cell && cell.parentElement) { cell.parentElement.classList.remove("has-error"); }
  }

  function showError(field, message) {
    var shown = visible(field);
    var error = document.getElementById(field.id + "-error");
    if (!error) {
      error = document.createElement("span");
      error.id = field.id + "-error";
      error.className = "error inline-error";
      error.setAttribute("role", "alert");
      field.closest(".inline-field").insertAdjacentElement("afterend", error);
    }
    error.textContent = message;
    shown.setAttribute("aria-invalid", "true");
    shown.setAttribute("aria-describedby", error.id);
    field.closest(".inline-field").parentElement.classList.add("has-error");
  }

  function buildPickers(root) {
    var source = document.getElementById("inline-project-options");
    within(root, "select[data-inline-options]").forEach(function (select) {
      if (select.dataset.inlineReady) { return; }
      select.dataset.inlineReady = "1";
      select.dataset.initial = select.value;
      if (source) {
        Array.prototype.forEach.call(source.content.querySelectorAll("option"), function (option) {
          if (option.value !== select.value) { select.appendChild(option.cloneNode(true)); }
        });
      }
      if (window.ttCombobox) { window.ttCombobox.build(select); }
    });
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) { found.push(root); }
    return found;
  }

  // Where the focus is, said so that it can be found again in the rows swapped in.
  function focusPlace() {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("[data-entry]") : null;
    if (!row) { return null; }
    var field = active.dataset.inlineField || (active.closest(".inline-project") ? "project" : "");
    return { entry: row.dataset.entry, field: field, id: active.id };
  }

  function restoreFocus(place) {
    if (!place) { return; }
    var row = document.querySelector("[data-entry='" + place.entry + "']");
    var target = null;
    if (row && place.field === "project") { target = row.querySelector(".inline-project .combobox-input"); }
    else if (row && place.field) { target = row.querySelector("[data-inline-field='" + place.field + "']"); }
    if (!target && place.id) { target = document.getElementById(place.id); }
    if (target) { target.focus(); }
  }

  function swap(html) {
    var place = focusPlace();
    var parsed = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(parsed.querySelectorAll("[data-inline-swap][id]"), function (node) {
      var old = document.getElementById(node.id);
      if (!old) { return; }
      var fresh = document.importNode(node, true);
      // Keep what the person is already typing in another field of these rows while this one was saved.
      within(old, "input[data-inline-field]").forEach(function (input) {
        var twin = fresh.querySelector("#" + input.id);
        if (twin && input.value !== input.defaultValue) { twin.value = input.value; }
      });
      swapping = true;  // the focused field leaving the page is not a person leaving it: no save
      try { old.replaceWith(fresh); } finally { swapping = false; }
      if (window.htmx) { window.htmx.process(fresh); }
      fresh.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));  // colours (app.js) and pickers
      buildPickers(fresh);
    });
    restoreFocus(place);
  }

  function save(field) {
    var value = field.value;
    if (value === initial(field)) { clearError(field); return; }
    if (field.dataset.saving === value) { return; }  // Enter, then leaving the field: one request
    var row = field.closest("[data-inline-url]");
    var group = row.closest("[data-inline-swap]") || row;
    var ids = Array.prototype.map.call(group.querySelectorAll("[data-entry]"), function (r) { return r.dataset.entry; });
    var body = new URLSearchParams({ field: field.dataset.inlineField, value: value, ids: ids.join(","), q: window.location.search });
    if (row.dataset.inlineView) { body.set("view", row.dataset.inlineView); }
    field.dataset.saving = value;
    row.setAttribute("aria-busy", "true");
    fetch(row.dataset.inlineUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (response) {
      return response.text().then(function (text) {
        delete field.dataset.saving;
        row.removeAttribute("aria-busy");
        if (response.ok) {
          swap(text);
          announce("Saved.");
          return;
        }
        var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
        var message = plain && text ? text : "Could not save this change (error " + response.status + ").";
        field.dataset.refused = value;
        showError(field, message);
      });
    }).catch(function () {
      delete field.dataset.saving;
      row.removeAttribute("aria-busy");
      showError(field, "Could not save: the connection failed. Try again.");
    });
  }

  function revert(field) {
    clearError(field);
    delete field.dataset.refused;
    if (field.tagName === "SELECT") {
      field.value = field.dataset.initial;
      field.dispatchEvent(new Event("change", { bubbles: true }));  // the picker shows it again; nothing is saved
    } else {
      field.value = field.defaultValue;
    }
  }

  function inlineField(target) {
    return target && target.matches && target.matches("[data-inline-url] input[data-inline-field]") ? target : null;
  }

  document.addEventListener("keydown", function (event) {
    var field = inlineField(event.target);
    if (field && event.key === "Enter") {
      event.preventDefault();
      delete field.dataset.refused;
      save(field);
    } else if (field && event.key === "Escape") {
      event.preventDefault();
      revert(field);
    } else if (event.key === "Escape" && !event.defaultPrevented && event.target.closest && event.target.closest("[data-inline-url] .inline-project")) {
      // The picker closes its list on the first Escape; a second one puts the saved project back.
      var select = event.target.closest(".inline-field").querySelector("select[data-inline-field]");
      if (select) { revert(select); }
    }
  });

  document.addEventListener("focusout", function (event) {
    var field = inlineField(event.target);
    if (field && !swapping && field.value !== field.dataset.refused) { save(field); }
  });

  document.addEventListener("focusin", function (event) {
    var field = inlineField(event.target);
    if (field && field.dataset.inlineField !== "notes") { field.select(); }  // a time is retyped, not edited
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-inline-url] select[data-inline-field]")) { save(target); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    buildPickers(document);
    document.body.addEventListener("htmx:load", function (event) { buildPickers(event.target); });
  });
})();
