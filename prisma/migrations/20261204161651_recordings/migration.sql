-- CreateEnum
CREATE TYPE "RecordingState" AS ENUM ('RECORDING', 'READY', 'FAILED');

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "state" "RecordingState" NOT NULL DEFAULT 'RECORDING',
    "startMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingTrack" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "startMs" INTEGER NOT NULL,

    CONSTRAINT "RecordingTrack_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Recording_spaceId_key" ON "Recording"("spaceId");

-- CreateIndex
CREATE INDEX "RecordingTrack_recordingId_startMs_idx" ON "RecordingTrack"("recordingId", "startMs");

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingTrack" ADD CONSTRAINT "RecordingTrack_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecordingTrack" ADD CONSTRAINT "RecordingTrack_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

