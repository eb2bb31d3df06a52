# Generated from ui/import_run_page.ui — do not edit — regenerate with: python packaging/build_generated.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'import_run_page.ui'
##
## Created by: Qt User Interface Compiler
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QProgressBar,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget, QWizardPage)

class Ui_ImportRunPage(object):
    def setupUi(self, ImportRunPage):
        if not ImportRunPage.objectName():
            ImportRunPage.setObjectName(u"ImportRunPage")
        self.pageLayout = QVBoxLayout(ImportRunPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.topSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.topSpace)

        self.progressLabel = QLabel(ImportRunPage)
        self.progressLabel.setObjectName(u"progressLabel")

        self.pageLayout.addWidget(self.progressLabel)

        self.progressRow = QHBoxLayout()
        self.progressRow.setObjectName(u"progressRow")
        self.importProgress = QProgressBar(ImportRunPage)
        self.importProgress.setObjectName(u"importProgress")
        self.importProgress.setTextVisible(True)

        self.progressRow.addWidget(self.importProgress)

        self.cancelImportButton = QPushButton(ImportRunPage)
        self.cancelImportButton.setObjectName(u"cancelImportButton")
        self.cancelImportButton.setAutoDefault(False)

        self.progressRow.addWidget(self.cancelImportButton)

        self.progressRow.setStretch(0, 1)

        self.pageLayout.addLayout(self.progressRow)

        self.runErrorLabel = QLabel(ImportRunPage)
        self.runErrorLabel.setObjectName(u"runErrorLabel")
        self.runErrorLabel.setVisible(False)

        self.pageLayout.addWidget(self.runErrorLabel)

        self.afterLabel = QLabel(ImportRunPage)
        self.afterLabel.setObjectName(u"afterLabel")
        self.afterLabel.setVisible(False)

        self.pageLayout.addWidget(self.afterLabel)

        self.bottomSpace = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.pageLayout.addItem(self.bottomSpace)

        self.pageLayout.setStretch(0, 1)
        self.pageLayout.setStretch(5, 2)

        self.retranslateUi(ImportRunPage)

        QMetaObject.connectSlotsByName(ImportRunPage)
    # setupUi

    def retranslateUi(self, ImportRunPage):
        ImportRunPage.setTitle(QCoreApplication.translate("ImportRunPage", u"Importing", None))
        ImportRunPage.setSubTitle(QCoreApplication.translate("ImportRunPage", u"You can keep working; the import runs in the background.", None))
        self.cancelImportButton.setText(QCoreApplication.translate("ImportRunPage", u"&Stop import", None))
        self.afterLabel.setText(QCoreApplication.translate("ImportRunPage", u"Go Back to change your choices and run it again, or close the window.", None))
    # retranslateUi

