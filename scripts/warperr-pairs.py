#!/usr/bin/env python3
"""Each pair's warping error (pair t-1 -> t) by ../shared/peers/warperr.py's own computation
(OpenCV DeepFlow on the input frames, forward-backward mask), where warperr.py prints the mean:
issue 20's seam measure divides a hand-over's pairs by the mean of a chunk's own pairs.
usage: PY scripts/warperr-pairs.py INPUT STYLED [--own A:B] [--handover C:D]
  with the peers' venv as PY (../shared/peers/setup.sh); --own and --handover name pair ranges by
  their later frame (8:16 is pairs 7-8 .. 15-16, exclusive end) and add the hand-over's ratios."""
import argparse, importlib.util, os
import numpy as np, cv2

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("warperr", os.path.join(here, "..", "..", "shared", "peers", "warperr.py"))
warperr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(warperr)

def span(text):
    a, b = text.split(":")
    return int(a), int(b)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input"); ap.add_argument("styled")
    ap.add_argument("--own", type=span); ap.add_argument("--handover", type=span)
    a = ap.parse_args()
    S = warperr.read_frames(a.styled, 10**6, 0)
    I = warperr.read_frames(a.input, len(S), S.shape[1])
    n = min(len(I), len(S))
    df = cv2.optflow.createOptFlow_DeepFlow()
    errs = {}
    for t in range(1, n):
        # The same steps as warperr.py's loop, kept per pair.
        g0 = cv2.cvtColor(I[t - 1], cv2.COLOR_RGB2GRAY); g1 = cv2.cvtColor(I[t], cv2.COLOR_RGB2GRAY)
        fb = df.calc(g1, g0, None); ff = df.calc(g0, g1, None)
        back = warperr.warp(ff, fb)
        mask = (np.sum((fb + back) ** 2, -1) < 0.01 * (np.sum(fb ** 2, -1) + np.sum(back ** 2, -1)) + 0.5).astype(np.float32)
        prev = warperr.warp(S[t - 1].astype(np.float32) / 255.0, fb)
        d = np.sum((S[t].astype(np.float32) / 255.0 - prev) ** 2, -1)
        errs[t] = float((mask * d).sum() / max(mask.sum(), 1.0))
    print("pairs (t-1 -> t, t = 1..%d): %s" % (n - 1, " ".join("%.4f" % errs[t] for t in sorted(errs))))
    print("mean %.5f" % np.mean(list(errs.values())))
    if a.own:
        own = np.mean([errs[t] for t in range(*a.own) if t in errs])
        print("own pairs %d..%d mean %.5f" % (a.own[0], a.own[1] - 1, own))
        if a.handover:
            ratios = [errs[t] / own for t in range(*a.handover) if t in errs]
            print("hand-over pairs %d..%d over it: %s; largest %.2fx" % (a.handover[0], a.handover[1] - 1,
                  " ".join("%.2f" % r for r in ratios), max(ratios)))

if __name__ == "__main__":
    main()
