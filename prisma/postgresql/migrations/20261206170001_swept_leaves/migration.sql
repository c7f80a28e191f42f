-- Data only, no schema change. Sweeps expanded from `variants:` recorded the paths a variant
-- sets (`method`) as swept. Those are not leaves, so no hyperparameter row was marked and the
-- sweep page, `runs show` and the runs table showed nothing swept. Mark what submission records
-- now: every leaf whose value differs between two runs of a sweep, a leaf some runs lack included.
-- (No semicolon in these comments: the migration runner splits the script on them.)
UPDATE "Hyperparameter" SET "swept" = true
WHERE "swept" = false AND ("runId", "key") IN (
    SELECT h."runId", h."key"
    FROM "Hyperparameter" AS h
    JOIN "Run" AS r ON r."id" = h."runId"
    JOIN (
        SELECT r2."sweepId" AS "sweepId", h2."key" AS "key"
        FROM "Hyperparameter" AS h2
        JOIN "Run" AS r2 ON r2."id" = h2."runId"
        WHERE r2."sweepId" IS NOT NULL
        GROUP BY r2."sweepId", h2."key"
        HAVING COUNT(DISTINCT h2."valueType" || ':' || COALESCE(h2."valueText", '') || ':' || COALESCE(CAST(h2."valueNum" AS TEXT), '')) > 1
            OR COUNT(*) < (SELECT COUNT(*) FROM "Run" AS r3 WHERE r3."sweepId" = r2."sweepId")
    ) AS d ON d."sweepId" = r."sweepId" AND d."key" = h."key"
);
