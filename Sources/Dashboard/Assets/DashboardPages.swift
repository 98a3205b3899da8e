/// The dashboard's HTML: small shells that name the page (and the job) and load the script,
/// which fills them from the JSON API. Values put into the HTML are escaped.
enum DashboardPages {
    static func jobs() -> String {
        page(title: "Jobs", body: #"data-page="jobs""#, content: """
        <h1>Jobs</h1>
        <div class="card"><table id="jobs"></table></div>
        """)
    }

    static func workers() -> String {
        page(title: "Workers", body: #"data-page="workers""#, content: """
        <h1>Workers</h1>
        <div class="card"><h2>Connected</h2><table id="workers"></table></div>
        <div class="card"><h2>Connections remembered by the job store</h2><table id="history"></table></div>
        """)
    }

    static func job(id: UInt32, input: String) -> String {
        page(title: "Job \(id)", body: #"data-page="job" data-job="\#(id)""#, content: """
        <h1 id="title">Job \(id)</h1>
        <div class="card">
          <div id="progress"></div>
          <div class="figures" id="figures"></div>
          <div class="note" id="paths">\(escape(input))</div>
        </div>
        <div class="card"><h2>Frames</h2><canvas class="strip" id="strip"></canvas><div class="legend" id="legend"></div></div>
        <div class="row">
          <div class="card"><h2>Preview</h2>
            <div class="previews">
              <figure><img id="input-frame" alt="input frame"><figcaption id="input-caption">input frame: none stored yet</figcaption></figure>
              <figure><img id="styled" alt="latest stored render"><figcaption id="styled-caption">latest stored render: none yet</figcaption></figure>
            </div>
          </div>
          <div class="card"><h2>Controls</h2>
            <div class="controls">
              <button data-action="pause">Pause</button><button data-action="resume">Resume</button>
              <button data-action="cancel">Cancel</button><button data-action="retry">Retry</button>
              <input id="priority" type="number" value="0" style="width:5em"><button data-action="priority">Set priority</button>
            </div>
            <p class="controls"><input id="token" type="password" placeholder="token (DATA/http-token)" style="width:100%"></p>
            <p id="control-result" class="note"></p>
          </div>
        </div>
        <div class="card"><h2>Warping error</h2><div id="plot"></div></div>
        <div class="row">
          <div class="card"><h2>Chunks</h2><table id="chunks"></table></div>
          <div class="card"><h2>Events and worker logs</h2><div class="events" id="events"></div></div>
        </div>
        """)
    }

    private static func page(title: String, body: String, content: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>vst · \(escape(title))</title><link rel="stylesheet" href="/assets/dashboard.css"></head>
        <body \(body)>
        <header><span class="brand">vst</span><a href="/">Jobs</a><a href="/workers">Workers</a><a href="/metrics">Metrics</a><span id="problem" class="error"></span></header>
        <main>
        \(content)
        </main>
        <script src="/assets/dashboard.js"></script>
        </body></html>
        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
