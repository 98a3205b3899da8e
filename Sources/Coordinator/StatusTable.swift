import Protocol

/// `vst-coord status` output: one line per job, columns aligned, for people and for `awk`.
public enum StatusTable {
    public static func render(_ jobs: [JobStatus]) -> String {
        var lines = ["JOB\tSTATE\tFRAMES\tFPS\tETA\tWORKERS\tMESSAGE"]
        for job in jobs {
            let eta = job.etaSeconds.map { ProgressReport.clock(.milliseconds(Int64($0 * 1000))) } ?? "-"
            let fps = (job.fps * 10).rounded() / 10
            lines.append("\(job.job)\t\(job.state.rawValue)\t\(job.framesDone)/\(job.framesTotal)\t\(fps)\t\(eta)\t\(job.workersBusy)\t\(job.message)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
