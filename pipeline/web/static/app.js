// The little JavaScript the pages use: a ticking deadline clock, a confirm on rejection, and
// a new sort order chosen from the list starting in that column's usual direction.
"use strict";
function tick(clock) {
  const left = (new Date(clock.dataset.due) - new Date()) / 60000;
  const minutes = Math.floor(Math.abs(left));
  const days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
  const parts = days ? [days + " hari", hours + " jam"] : [hours ? hours + " jam" : "", (minutes % 60) + " menit"];
  clock.querySelector(".left").textContent = (left < 0 ? "terlambat " : "sisa ") + parts.filter(Boolean).join(" ");
  clock.classList.toggle("late", left < 0);
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".clock[data-due]").forEach((clock) => setInterval(() => tick(clock), 30000));
  document.querySelectorAll("button[data-confirm]").forEach((button) =>
    button.addEventListener("click", (event) => {
      if (button.form && !button.form.checkValidity()) return; // the browser says what is missing
      if (!confirm(button.dataset.confirm)) event.preventDefault();
    }));
  if (window.matchMedia("(min-width: 761px)").matches) // all filters at hand on a laptop
    document.querySelectorAll("details[data-open-wide]").forEach((more) => { more.open = true; });
  document.querySelectorAll(".filters select[name=urut]").forEach((select) =>
    select.addEventListener("change", () => {
      const direction = select.form.querySelector("input[name=arah]");
      if (direction) direction.remove();
    }));
});
