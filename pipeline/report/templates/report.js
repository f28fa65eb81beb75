// Filters the article list by words, entity, dates and errors; the filters live in the URL's #fragment,
// so a filtered view can be bookmarked or sent on (report.html#entity=Utrecht&from=2024-03-01).
(function () {
  "use strict";
  var fields = {
    text: document.getElementById("f-text"),
    entity: document.getElementById("f-entity"),
    from: document.getElementById("f-from"),
    to: document.getElementById("f-to"),
  };
  var sections = ["overview", "entities", "charts", "geography", "articles"];
  var problems = document.getElementById("f-problems");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var articles = Array.prototype.map.call(document.querySelectorAll("#article-list article"), function (node) {
    return {
      node: node,
      text: node.textContent.toLowerCase(),
      names: node.getAttribute("data-entities").split("|"),
      date: node.getAttribute("data-date"),
      problem: node.getAttribute("data-problem") === "1",
    };
  });

  function matches(article, wanted) {
    if (wanted.text && article.text.indexOf(wanted.text) < 0) return false;
    if (wanted.entity && article.names.indexOf(wanted.entity) < 0) return false;
    if (wanted.from && !(article.date && article.date >= wanted.from)) return false;
    if (wanted.to && !(article.date && article.date <= wanted.to)) return false;
    return !(wanted.problems && !article.problem);
  }

  function apply() {
    var wanted = {
      text: fields.text.value.trim().toLowerCase(),
      entity: fields.entity.value.trim().toLowerCase(),
      from: fields.from.value,
      to: fields.to.value,
      problems: problems.checked,
    };
    var count = 0;
    articles.forEach(function (article) {
      var visible = matches(article, wanted);
      article.node.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count;
    empty.hidden = count > 0;
    remember();
  }

  function remember() {
    var state = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      if (fields[key].value) state.set(key, fields[key].value);
    });
    if (problems.checked) state.set("problems", "1");
    var fragment = state.toString();
    var current = location.hash.slice(1);
    if (!fragment && sections.indexOf(current) >= 0) return;
    if (fragment !== current) {
      try {
        history.replaceState(null, "", fragment ? "#" + fragment : location.pathname + location.search);
      } catch (error) {
        // Some viewers forbid history changes for local files; the filter still works.
      }
    }
  }

  function restore() {
    var state = new URLSearchParams(location.hash.slice(1));
    Object.keys(fields).forEach(function (key) {
      fields[key].value = state.get(key) || "";
    });
    problems.checked = state.get("problems") === "1";
  }

  function filterByEntity(name) {
    fields.entity.value = name;
    apply();
    document.getElementById("articles").scrollIntoView({ behavior: "smooth" });
  }

  Object.keys(fields).forEach(function (key) {
    fields[key].addEventListener("input", apply);
  });
  problems.addEventListener("change", apply);
  document.getElementById("f-clear").addEventListener("click", function () {
    Object.keys(fields).forEach(function (key) {
      fields[key].value = "";
    });
    problems.checked = false;
    apply();
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-entity]");
    if (target) filterByEntity(target.getAttribute("data-entity"));
  });
  if (location.hash && sections.indexOf(location.hash.slice(1)) < 0) restore();
  apply();
})();
