-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "specHash" TEXT NOT NULL,
    "objectiveMetric" TEXT NOT NULL,
    "objectiveMode" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "maxConcurrency" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sweepId" TEXT,
    "fingerprint" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "configHash" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "ordinal" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "node" TEXT,
    "slot" TEXT,
    "backend" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "gitCommit" TEXT,
    "gitDirty" BOOLEAN,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "heartbeatAt" DATETIME,
    "lastEpoch" INTEGER,
    "objective" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Run_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Hyperparameter" (
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "valueType" TEXT NOT NULL,
    "valueNum" REAL,
    "valueText" TEXT,
    "swept" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("runId", "key"),
    CONSTRAINT "Hyperparameter_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricPoint" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "epoch" REAL NOT NULL,
    "value" REAL NOT NULL,
    "attempt" INTEGER NOT NULL,
    "wallTime" DATETIME NOT NULL,

    PRIMARY KEY ("runId", "name", "split", "step"),
    CONSTRAINT "MetricPoint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "runId" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "top1" REAL NOT NULL,
    "top5" REAL,
    "many" REAL,
    "medium" REAL,
    "few" REAL,
    "perClass" JSONB,
    "confusion" JSONB,
    "recordedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("runId", "split", "epoch"),
    CONSTRAINT "Evaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Artifact" (
    "runId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "epoch" INTEGER,
    "sizeBytes" INTEGER,
    "sha256" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("runId", "path"),
    CONSTRAINT "Artifact_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "node" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "pid" INTEGER,
    "backend" TEXT,
    "device" TEXT,
    "memoryBytes" REAL,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "currentRunId" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Sweep_createdAt_idx" ON "Sweep"("createdAt");

-- CreateIndex
CREATE INDEX "Run_status_idx" ON "Run"("status");

-- CreateIndex
CREATE INDEX "Run_sweepId_status_idx" ON "Run"("sweepId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Run_sweepId_fingerprint_key" ON "Run"("sweepId", "fingerprint");

-- CreateIndex
CREATE INDEX "Hyperparameter_key_valueNum_idx" ON "Hyperparameter"("key", "valueNum");

-- CreateIndex
CREATE INDEX "Hyperparameter_key_valueText_idx" ON "Hyperparameter"("key", "valueText");

-- CreateIndex
CREATE INDEX "MetricPoint_runId_name_idx" ON "MetricPoint"("runId", "name");

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
