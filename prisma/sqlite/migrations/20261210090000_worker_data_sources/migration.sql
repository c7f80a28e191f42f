-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "dataSources" JSONB;
