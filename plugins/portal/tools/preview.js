// The preview's own script (served by portal.tools.preview at /__xem-truoc/, never published):
// reload when the page changes, show a content error over the page until a save fixes it.
(() => {
  'use strict';
  const here = location.pathname.replace(/index\.html$/, '');
  let box = null;

  function show(message) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'xem-truoc-loi';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;'
        + 'background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;padding:1rem 1.25rem;'
        + 'font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)';
      const title = document.createElement('strong');
      title.textContent = 'Nội dung có lỗi: trang bạn đang xem là bản dựng tốt gần nhất.';
      const detail = document.createElement('pre');
      detail.style.cssText = 'white-space:pre-wrap;margin:.5rem 0 0;font:14px/1.45 ui-monospace,monospace';
      const hint = document.createElement('p');
      hint.style.margin = '.5rem 0 0';
      hint.textContent = 'Sửa tệp và lưu lại: khung này tự đóng khi nội dung hợp lệ.';
      box.append(title, detail, hint);
      document.body.append(box);
    }
    box.querySelector('pre').textContent = message;
  }

  function hide() {
    if (box) box.remove();
    box = null;
  }

  const events = new EventSource('/__xem-truoc/su-kien');
  events.addEventListener('reload', (event) => {
    const paths = JSON.parse(event.data).paths;
    if (!paths || paths.includes(here)) location.reload();
  });
  events.addEventListener('problem', (event) => show(JSON.parse(event.data).message));
  events.addEventListener('clear', hide);
})();
