/// The dashboard's script, served at /assets/dashboard.js: plain JavaScript, no framework. Each
/// page polls the JSON API once a second and redraws; the job page also fetches the latest
/// render and then the input frame with the same index, so the two always match.
enum DashboardScript {
    static let js = #"""
    "use strict";
    const colours = { queued: "#c9ced6", rendering: "#f0b429", stored: "#4c9aff", stitched: "#2f9e5b", failed: "#d64545" };
    const $ = (id) => document.getElementById(id);
    const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));

    // The token: from ?token= once (then kept for this tab), or typed into the controls.
    (function keepToken() {
      const given = new URLSearchParams(location.search).get("token");
      if (given) sessionStorage.setItem("vstToken", given);
    })();
    const token = () => sessionStorage.getItem("vstToken") || "";
    const authHeaders = () => (token() ? { Authorization: "Bearer " + token() } : {});

    async function getJSON(path) {
      const response = await fetch(path, { headers: authHeaders(), cache: "no-store" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      return body;
    }

    // Binary units, as ByteCount.format writes them for vst-coord status.
    function bytes(count) {
      if (count == null) return "-";
      const units = ["B", "KiB", "MiB", "GiB", "TiB"];
      let value = count, unit = 0;
      while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
      return unit == 0 ? `${count} B` : `${value.toFixed(1)} ${units[unit]}`;
    }

    function clock(seconds) {
      if (seconds == null || !isFinite(seconds)) return "-";
      seconds = Math.round(seconds);
      const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
      return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
    }
    const state = (s) => `<span class="state ${esc(s)}">${esc(s)}</span>`;
    const bar = (fraction) => `<div class="bar"><div style="width:${(fraction * 100).toFixed(1)}%"></div></div>`;

    function every(ms, task) {
      const run = async () => {
        try { await task(); $("problem").textContent = ""; } catch (e) { $("problem").textContent = "cannot reach the coordinator: " + e.message; }
        setTimeout(run, ms);
      };
      run();
    }

    // The frame strip: one column per frame (or per group of frames on a long film), coloured
    // by state; chunk starts as dark lines, each overlap as a band above the strip.
    function drawStrip(canvas, job) {
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth, height = canvas.clientHeight;
      canvas.width = width * ratio; canvas.height = height * ratio;
      const g = canvas.getContext("2d");
      g.scale(ratio, ratio);
      g.clearRect(0, 0, width, height);
      const total = Math.max(1, job.strip.frameCount), x = (f) => (f / total) * width;
      const top = 10;
      for (const run of job.strip.runs) {
        g.fillStyle = colours[run.state] || "#999";
        g.fillRect(x(run.start), top, Math.max(1, x(run.start + run.count) - x(run.start)), height - top);
      }
      g.fillStyle = "#7a8594";
      for (const chunk of job.chunks) {
        if (chunk.renderStart < chunk.ownStart) g.fillRect(x(chunk.renderStart), 2, Math.max(1, x(chunk.ownStart) - x(chunk.renderStart)), 5);
      }
      g.fillStyle = "#1d2430";
      for (const chunk of job.chunks.slice(1)) g.fillRect(Math.round(x(chunk.ownStart)) - 1, top, 2, height - top);
    }

    async function refreshPreview(job) {
      if (!job.latest || job.latest.frame === window.shownFrame) return;
      const response = await fetch(`/api/jobs/${job.id}/preview/styled.jpg`, { headers: authHeaders(), cache: "no-store" });
      if (!response.ok) return;
      const frame = Number(response.headers.get("X-VST-Frame"));
      const blob = await response.blob();
      const styled = $("styled");
      if (styled.dataset.url) URL.revokeObjectURL(styled.dataset.url);
      styled.dataset.url = URL.createObjectURL(blob);
      styled.src = styled.dataset.url;
      $("input-frame").src = `/api/jobs/${job.id}/preview/input.jpg?frame=${frame}`;
      $("styled-caption").textContent = `latest stored render: frame ${frame}`;
      $("input-caption").textContent = `input frame ${frame}`;
      window.shownFrame = job.latest.frame;
    }

    async function jobPage(id) {
      const job = await getJSON(`/api/jobs/${id}`);
      $("title").innerHTML = `Job ${job.id} ${state(job.state)}`;
      $("progress").innerHTML = bar(job.workFraction);
      $("figures").innerHTML = [
        `<span>work <b>${Math.floor(job.workFraction * 100)}%</b> (${job.rendersDone} / ${job.rendersTotal} renders)</span>`,
        `<span><b>${job.framesDone}</b> / ${job.framesTotal} frames out</span>`,
        `<span><b>${job.fps.toFixed(1)}</b> frames/s</span>`,
        `<span>ETA <b>${clock(job.etaSeconds)}</b></span>`,
        `<span><b>${job.workersBusy}</b> workers busy</span>`,
        `<span>priority <b>${job.priority}</b></span>`,
        `<span>disk <b>${bytes(job.diskBytes)}</b>, peak <b>${bytes(job.peakDiskBytes)}</b></span>`,
        `<span>${esc(job.method)}, ${job.width}x${job.height}</span>`,
        `<span class="note">${esc(job.message)}</span>`,
      ].join("");
      $("paths").textContent = `${job.input} \u2192 ${job.output}`;
      drawStrip($("strip"), job);
      const counts = {};
      for (const run of job.strip.runs) counts[run.state] = (counts[run.state] || 0) + run.count;
      $("legend").innerHTML = Object.keys(colours).map((s) => `<span><i style="background:${colours[s]}"></i>${s} ${counts[s] || 0}</span>`).join("")
        + `<span><i style="background:#7a8594;height:.35em"></i>overlap</span><span><i style="background:#1d2430;width:2px"></i>chunk start</span>`;
      await refreshPreview(job);
      $("plot").innerHTML = job.errorPlot ? `<img src="/api/jobs/${job.id}/warping-error.png" alt="warping error per frame" style="width:100%">`
        : `<p class="note">Warping-error plot: not available for this job.</p>`;
      $("chunks").innerHTML = `<tr><th>chunk</th><th>frames</th><th>state</th><th class="num">delivered</th><th>worker</th><th class="num">failures</th></tr>`
        + job.chunks.map((c) => `<tr><td>${c.index}</td><td>${c.ownStart}\u2013${c.end - 1}${c.renderStart < c.ownStart ? ` (from ${c.renderStart})` : ""}</td>`
          + `<td>${state(c.state)}</td><td class="num">${c.framesDelivered}/${c.framesTotal}</td><td>${esc(c.worker || "-")}</td><td class="num">${c.failures}</td></tr>`).join("");
      const events = $("events");
      const atBottom = events.scrollTop + events.clientHeight >= events.scrollHeight - 4;
      events.innerHTML = job.events.map((e) => `<div><span class="kind">${new Date(e.time * 1000).toLocaleTimeString()} ${esc(e.kind)}${e.chunk != null ? " chunk " + e.chunk : ""}</span> ${esc(e.detail)}</div>`).join("");
      if (atBottom) events.scrollTop = events.scrollHeight;
    }

    async function control(id, action) {
      const typed = $("token").value.trim();
      if (typed) sessionStorage.setItem("vstToken", typed);
      const options = { method: "POST", headers: { ...authHeaders(), "Content-Type": "application/json" } };
      if (action === "priority") options.body = JSON.stringify({ priority: Number($("priority").value) });
      const response = await fetch(`/api/jobs/${id}/${action}`, options);
      const body = await response.json();
      $("control-result").className = response.ok ? "note" : "error";
      $("control-result").textContent = response.ok ? `${action}: job ${body.job} is ${body.state}` : `${action}: ${body.error}`;
    }

    async function jobsPage() {
      const { jobs } = await getJSON("/api/jobs");
      $("jobs").innerHTML = `<tr><th>job</th><th>state</th><th style="width:30%">work</th><th class="num">frames out</th><th class="num">frames/s</th><th class="num">ETA</th><th class="num">priority</th><th>input</th><th>message</th></tr>`
        + jobs.map((j) => `<tr><td><a href="/jobs/${j.id}">${j.id}</a></td><td>${state(j.state)}</td><td>${bar(j.workFraction)}</td>`
          + `<td class="num">${j.framesDone}/${j.framesTotal}</td><td class="num">${j.fps.toFixed(1)}</td><td class="num">${clock(j.etaSeconds)}</td>`
          + `<td class="num">${j.priority}</td><td>${esc(j.input.split("/").pop())}</td><td class="note">${esc(j.message)}</td></tr>`).join("");
    }

    async function workersPage() {
      const { workers, history } = await getJSON("/api/workers");
      $("workers").innerHTML = `<tr><th>name</th><th>address</th><th>key</th><th>state</th><th>chunk</th><th class="num">frames/s</th><th class="num">last heard</th><th class="num">failures</th></tr>`
        + workers.map((w) => `<tr><td>${esc(w.name)}</td><td>${esc(w.address || "-")}</td><td title="${esc(w.key || "")}">${esc(w.keyName || (w.key ? w.key.slice(0, 10) + "\u2026" : "-"))}</td><td>${state(w.state)}</td>`
          + `<td>${w.job != null ? `<a href="/jobs/${w.job}">job ${w.job}</a> chunk ${w.chunk} (${w.framesDelivered}/${w.framesTotal})` : "-"}</td>`
          + `<td class="num">${w.framesPerSecond.toFixed(2)}</td><td class="num">${w.secondsSinceHeard.toFixed(1)} s ago</td><td class="num">${w.failures}</td></tr>`).join("");
      $("history").innerHTML = `<tr><th>name</th><th>joined</th><th>left</th><th class="num">chunks done</th><th class="num">chunks failed</th></tr>`
        + history.map((h) => `<tr><td>${esc(h.name)}</td><td>${new Date(h.joined * 1000).toLocaleString()}</td><td>${h.left ? new Date(h.left * 1000).toLocaleString() : "-"}</td>`
          + `<td class="num">${h.chunksDone}</td><td class="num">${h.chunksFailed}</td></tr>`).join("");
    }

    document.addEventListener("DOMContentLoaded", () => {
      const page = document.body.dataset.page;
      if (page === "job") every(1000, () => jobPage(document.body.dataset.job));
      if (page === "jobs") every(1000, jobsPage);
      if (page === "workers") every(1000, workersPage);
      for (const button of document.querySelectorAll("button[data-action]")) {
        button.addEventListener("click", () => control(document.body.dataset.job, button.dataset.action));
      }
    });
    """#
}
