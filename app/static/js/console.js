/* The console's own behaviour on top of Flask-AppBuilder's pages (loaded after its ab.js).
 * - Dates: дд.мм.гггг typed or pasted; the picker in the page's language (Russian: Monday first), never
 *   rewriting what the user typed (forceParse off); months (report) as мм.гггг.
 * - Search-as-you-type lists (Select2): Russian messages, the cursor in the search box when a list opens.
 * - Buttons and links with data-confirm ask before they act.
 */
(function ($) {
  "use strict";
  var lang = (document.documentElement.getAttribute("lang") || "ru").slice(0, 2);
  var pickerLang = lang === "ru" ? "ru" : "en-GB";
  var ru = lang === "ru";

  function plural(n, one, few, many) {
    var n10 = n % 10, n100 = n % 100;
    if (n10 === 1 && n100 !== 11) return one;
    if (n10 >= 2 && n10 <= 4 && (n100 < 10 || n100 >= 20)) return few;
    return many;
  }

  var select2Language = ru ? {
    noResults: function () { return "Ничего не найдено"; },
    searching: function () { return "Поиск…"; },
    loadingMore: function () { return "Загрузка…"; },
    errorLoading: function () { return "Не удалось загрузить результаты"; },
    inputTooShort: function (args) {
      var n = args.minimum - args.input.length;
      return "Введите ещё " + n + " " + plural(n, "символ", "символа", "символов");
    },
    removeAllItems: function () { return "Очистить"; }
  } : {
    noResults: function () { return "Nothing found"; },
    inputTooShort: function (args) {
      var n = args.minimum - args.input.length;
      return "Type " + n + " more character" + (n === 1 ? "" : "s");
    }
  };

  function startDates(root) {
    $(root).find(".console-date input").each(function () {
      $(this).datepicker({
        format: "dd.mm.yyyy", language: pickerLang, weekStart: 1, autoclose: true, forceParse: false,
        todayHighlight: true, showOnFocus: false, keyboardNavigation: false
      });
    });
    $(root).find(".console-month input").each(function () {
      $(this).datepicker({
        format: "mm.yyyy", language: pickerLang, minViewMode: 1, maxViewMode: 2, autoclose: true,
        forceParse: false, showOnFocus: false, keyboardNavigation: false
      });
    });
    $(root).find(".console-date .input-group-addon, .console-month .input-group-addon").on("click", function () {
      $(this).siblings("input").datepicker("show");
    });
  }

  function startSelects(root) {
    $(root).find("select.my_select2").each(function () {
      var $el = $(this);
      if ($el.data("select2")) $el.select2("destroy");
      var options = {theme: "bootstrap", language: select2Language, allowClear: true, width: "100%",
                     placeholder: $el.data("placeholder") || (ru ? "Выберите значение" : "Choose a value")};
      var minimum = parseInt($el.data("minimumInputLength") || $el.attr("data-minimum-input-length") || 0, 10);
      if (minimum) options.minimumInputLength = minimum;
      $el.select2(options);
    });
  }

  // Select2 4.0.13 with jQuery 3.6 no longer focuses its search box on open: a keyboard user could not type.
  $(document).on("select2:open", function () {
    window.setTimeout(function () {
      var field = document.querySelector(".select2-container--open .select2-search__field");
      if (field) field.focus();
    }, 0);
  });

  $(document).on("click", "[data-confirm]", function (event) {
    if (!window.confirm($(this).data("confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  $(function () {
    startDates(document);
    startSelects(document);
  });
})(jQuery);
