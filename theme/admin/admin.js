/* Decap CMS set-up for the portal; the configuration itself is config.yml, generated from the content model
 * (plugins/portal/cms.py). This script:
 * - shows the site's own stylesheet in the preview pane;
 * - saves text the way the build reads it: NFC, with the eth look-alike "Ð" (U+00D0) read as "Đ".
 *   File names depend on it: Decap folds "Đắk Lắk" to "dak-lak" only when the text is NFC (text pasted
 *   from Word or typed with some Windows keyboards is NFD: "Lắk" would become "la-k"), and "Ð" to "dh";
 * - fills in the editor strings that Decap's Vietnamese locale leaves in English ("Add", "Bold"...). */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS) {
    document.getElementById("admin-missing").hidden = false;
    return;
  }
  CMS.registerPreviewStyle("/theme/css/site.css");

  var ETH = { "\u00d0": "\u0110", "\u00f0": "\u0111" };
  function normalise(value) {
    if (typeof value === "string") {
      return value.replace(/[\u00d0\u00f0]/g, function (c) { return ETH[c]; }).normalize("NFC");
    }
    if (value && typeof value.toJS === "function" && typeof value.map === "function") {
      return value.map(normalise); // an Immutable Map or List: the same kind back
    }
    return value;
  }
  // preSave runs before Decap makes the file name (slug) of a new entry from its title.
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) { return normalise(event.entry.get("data")); }
  });

  var MISSING_VI = {
    app: { header: { quickAdd: "Tạo nhanh" } },
    collection: {
      collectionTop: { viewAs: "Xem dạng", viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới",
        groupBy: "Nhóm theo" },
      entries: { unpublishedHeader: "Mục chưa công bố" },
      groups: { other: "Khác", negateLabel: "Không %{label}" }
    },
    editor: {
      editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
      editorInterface: { togglePreview: "Bật, tắt xem trước", toggleScrollSync: "Cuộn đồng bộ" },
      editorWidgets: {
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở ra", collapse: "Thu gọn" },
        datetime: { setToNow: "Đặt %{fieldLabel} là lúc này" },
        markdown: { bold: "Đậm", italic: "Nghiêng", strikethrough: "Gạch ngang", code: "Mã", link: "Liên kết",
          linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề mục", quote: "Trích dẫn",
          bulletedList: "Danh sách gạch đầu dòng", numberedList: "Danh sách đánh số",
          addComponent: "Thêm thành phần",
          toggleMode: { rich: "Chuyển sang văn bản định dạng", markdown: "Chuyển sang Markdown" } },
        image: { chooseMultiple: "Chọn nhiều hình", chooseUrl: "Chèn từ địa chỉ URL",
          replaceUrl: "Thay bằng địa chỉ URL", promptUrl: "Nhập địa chỉ URL của hình", addMore: "Thêm hình",
          removeAll: "Xoá mọi hình" },
        file: { chooseMultiple: "Chọn nhiều tập tin", chooseUrl: "Chèn từ địa chỉ URL",
          replaceUrl: "Thay bằng địa chỉ URL", promptUrl: "Nhập địa chỉ URL của tập tin",
          addMore: "Thêm tập tin", removeAll: "Xoá mọi tập tin" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép URL", copyPath: "Sao chép đường dẫn",
        copyName: "Sao chép tên", copied: "Đã sao chép" },
      mediaLibraryModal: { close: "Đóng" }
    },
    ui: { settingsDropdown: { account: "Tài khoản" } }
  };
  function merge(base, extra) {
    var out = {};
    Object.keys(base || {}).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) {
      out[k] = typeof extra[k] === "object" ? merge(out[k], extra[k]) : extra[k];
    });
    return out;
  }
  var vi = CMS.getLocale && CMS.getLocale("vi");
  if (vi) {
    CMS.registerLocale("vi", merge(vi, MISSING_VI));
  }
})();
